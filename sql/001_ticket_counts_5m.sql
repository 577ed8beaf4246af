-- 5-minute counts of CREATED tickets by catalogue item and district (HotspotJob).
-- Grain: one row per (window_start, category_major, category_code, district).
-- Idempotent: a re-emitted or replayed row replaces the older one (highest version wins), so
-- dashboards read it with FINAL (or argMax by version) and never double count.
CREATE TABLE IF NOT EXISTS ticket_counts_5m
(
    window_start   DateTime64(3, 'Asia/Shanghai') COMMENT 'window start (inclusive), event time',
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'window end (exclusive)',
    category_major LowCardinality(String) COMMENT 'major category (one of 18)',
    category_code  LowCardinality(String) COMMENT 'catalogue item code',
    district       LowCardinality(String) COMMENT 'district',
    created        UInt64 COMMENT 'CREATED tickets in the window',
    version        UInt64 COMMENT 'emission time in ms; the highest version of a key is current'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, category_major, category_code, district)
TTL toDateTime(window_start) + INTERVAL 400 DAY;
