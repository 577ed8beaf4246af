-- Candidates for the weekly case-category review (每周一议), written by AlertJob: per local week
-- (Monday to Sunday) and major category, what its alerts add up to. A category is a candidate
-- when it was elevated at all; `escalated` marks those whose alerts reached CASE_CATEGORY.
-- Grain: one row per (week_start, category_major), rewritten with a higher version (event time)
-- as the week goes on. Read with FINAL. Top lists are 'NAME:count' joined by ','.
CREATE TABLE IF NOT EXISTS case_category_weekly
(
    week_start      Date COMMENT 'local Monday',
    category_major  LowCardinality(String),
    alerts          UInt32 COMMENT 'alert episodes of the category (any scope) opened this week',
    escalated       Bool COMMENT 'an alert of the category reached CASE_CATEGORY this week',
    days_elevated   UInt8 COMMENT 'distinct local days this week with any key of the category elevated',
    hours_elevated  Float64 COMMENT 'hours this week with any key of the category elevated',
    excess_tickets  Float64 COMMENT 'tickets above the expected level while elevated, this week',
    districts       String COMMENT 'districts of the tickets counted while elevated, NAME:count',
    top_items       String COMMENT 'items with most tickets while elevated, CODE:count',
    top_agencies    String COMMENT 'agencies those tickets went to, NAME:count',
    last_alert_id   String COMMENT 'most recently opened alert of the category this week',
    version         UInt64 COMMENT 'event time (ms) as of which the row holds'
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (week_start, category_major);
