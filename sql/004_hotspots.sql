-- Hotspot rankings (HotspotJob): every 5 minutes, the (category_major, district) pairs whose
-- CREATED volume over the last hour is most unusual against the same local hour on earlier days.
-- Grain: one row per (window_end, scope, rank); scope is 'city' for the city-wide list or a
-- district for that district's list. Idempotent like the count tables: read with FINAL.
CREATE TABLE IF NOT EXISTS hotspots
(
    window_end     DateTime64(3, 'Asia/Shanghai') COMMENT 'end of the ranked hour (exclusive)',
    scope          LowCardinality(String) COMMENT 'city, or the district of a per-district list',
    rank           UInt16 COMMENT '1 = most unusual',
    category_major LowCardinality(String),
    district       LowCardinality(String),
    volume         UInt64 COMMENT 'CREATED tickets in the hour',
    expected       Float64 COMMENT 'usual volume of this local hour (baseline)',
    growth         Float64 COMMENT '(volume + 1) / (expected + 1)',
    score          Float64 COMMENT '(volume - expected) / sqrt(expected + 1)',
    top_items      String COMMENT 'leading catalogue items, CODE:count, largest first',
    top_agencies   String COMMENT 'leading agencies, NAME:count, largest first',
    version        UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_end)
ORDER BY (window_end, scope, rank)
TTL toDateTime(window_end) + INTERVAL 400 DAY;
