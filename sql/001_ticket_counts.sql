-- Ticket lifecycle events counted by category, item, district, agency and channel (HotspotJob),
-- in 5-minute, hourly and daily windows; hours and days follow the local clock of the job's --zone.
-- Grain: one row per (window_start, category_major, category_code, district, agency, channel).
-- Idempotent: live partial results, late updates and replays replace the row (highest version
-- wins, a final row outranks partial ones); dashboards read with FINAL.

-- 5m windows
CREATE TABLE IF NOT EXISTS ticket_counts_5m
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category (one of 18)',
    category_code  LowCardinality(String) COMMENT 'catalogue item code',
    district       LowCardinality(String) COMMENT 'district',
    agency         LowCardinality(String) COMMENT 'responsible unit; empty before dispatch (CREATED)',
    channel        LowCardinality(String) COMMENT 'intake channel',
    created        UInt64 COMMENT 'CREATED events',
    emergency      UInt64 COMMENT 'CREATED events of EMERGENCY tickets',
    expedited      UInt64 COMMENT 'CREATED events of expedited tickets',
    dispatched     UInt64 COMMENT 'DISPATCHED events (re-dispatches included)',
    returned       UInt64 COMMENT 'RETURNED events',
    accepted       UInt64 COMMENT 'ACCEPTED events',
    resolved       UInt64 COMMENT 'RESOLVED events',
    closed         UInt64 COMMENT 'CLOSED events',
    reopened       UInt64 COMMENT 'REOPENED events',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 90 DAY;

-- 1h windows
CREATE TABLE IF NOT EXISTS ticket_counts_1h
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category (one of 18)',
    category_code  LowCardinality(String) COMMENT 'catalogue item code',
    district       LowCardinality(String) COMMENT 'district',
    agency         LowCardinality(String) COMMENT 'responsible unit; empty before dispatch (CREATED)',
    channel        LowCardinality(String) COMMENT 'intake channel',
    created        UInt64 COMMENT 'CREATED events',
    emergency      UInt64 COMMENT 'CREATED events of EMERGENCY tickets',
    expedited      UInt64 COMMENT 'CREATED events of expedited tickets',
    dispatched     UInt64 COMMENT 'DISPATCHED events (re-dispatches included)',
    returned       UInt64 COMMENT 'RETURNED events',
    accepted       UInt64 COMMENT 'ACCEPTED events',
    resolved       UInt64 COMMENT 'RESOLVED events',
    closed         UInt64 COMMENT 'CLOSED events',
    reopened       UInt64 COMMENT 'REOPENED events',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 730 DAY;

-- 1d windows
CREATE TABLE IF NOT EXISTS ticket_counts_1d
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category (one of 18)',
    category_code  LowCardinality(String) COMMENT 'catalogue item code',
    district       LowCardinality(String) COMMENT 'district',
    agency         LowCardinality(String) COMMENT 'responsible unit; empty before dispatch (CREATED)',
    channel        LowCardinality(String) COMMENT 'intake channel',
    created        UInt64 COMMENT 'CREATED events',
    emergency      UInt64 COMMENT 'CREATED events of EMERGENCY tickets',
    expedited      UInt64 COMMENT 'CREATED events of expedited tickets',
    dispatched     UInt64 COMMENT 'DISPATCHED events (re-dispatches included)',
    returned       UInt64 COMMENT 'RETURNED events',
    accepted       UInt64 COMMENT 'ACCEPTED events',
    resolved       UInt64 COMMENT 'RESOLVED events',
    closed         UInt64 COMMENT 'CLOSED events',
    reopened       UInt64 COMMENT 'REOPENED events',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 3650 DAY;
