-- Lead lifecycle events counted by category, item, district and platform (HotspotJob), in
-- 5-minute, hourly and daily windows. Grain: one row per (window_start, category_major,
-- category_code, district, platform). Same idempotency and FINAL rule as the ticket counts.

-- 5m windows
CREATE TABLE IF NOT EXISTS lead_counts_5m
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category',
    category_code  LowCardinality(String) COMMENT 'catalogue item code (classifier)',
    district       LowCardinality(String) COMMENT 'district; empty when the post could not be located',
    platform       LowCardinality(String) COMMENT 'internet platform',
    captured       UInt64 COMMENT 'CAPTURED events',
    verified_valid UInt64 COMMENT 'VERIFIED_VALID events',
    verified_invalid UInt64 COMMENT 'VERIFIED_INVALID events',
    converted      UInt64 COMMENT 'CONVERTED events (lead became a ticket)',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 90 DAY;

-- 1h windows
CREATE TABLE IF NOT EXISTS lead_counts_1h
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category',
    category_code  LowCardinality(String) COMMENT 'catalogue item code (classifier)',
    district       LowCardinality(String) COMMENT 'district; empty when the post could not be located',
    platform       LowCardinality(String) COMMENT 'internet platform',
    captured       UInt64 COMMENT 'CAPTURED events',
    verified_valid UInt64 COMMENT 'VERIFIED_VALID events',
    verified_invalid UInt64 COMMENT 'VERIFIED_INVALID events',
    converted      UInt64 COMMENT 'CONVERTED events (lead became a ticket)',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 730 DAY;

-- 1d windows
CREATE TABLE IF NOT EXISTS lead_counts_1d
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category',
    category_code  LowCardinality(String) COMMENT 'catalogue item code (classifier)',
    district       LowCardinality(String) COMMENT 'district; empty when the post could not be located',
    platform       LowCardinality(String) COMMENT 'internet platform',
    captured       UInt64 COMMENT 'CAPTURED events',
    verified_valid UInt64 COMMENT 'VERIFIED_VALID events',
    verified_invalid UInt64 COMMENT 'VERIFIED_INVALID events',
    converted      UInt64 COMMENT 'CONVERTED events (lead became a ticket)',
    is_final       UInt8 COMMENT '0: live partial result of an open window; 1: final (late updates stay final)',
    version        UInt64 COMMENT 'orders emissions of a row; final rows outrank partial ones'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYear(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 3650 DAY;
