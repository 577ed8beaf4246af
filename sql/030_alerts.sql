-- Spike alerts (AlertJob): the latest state of every alert episode. Every record the job writes
-- to Kafka `alerts` is also written here; ReplacingMergeTree keeps the highest revision, so a
-- replay (same input, same deterministic alert ids and revisions) rewrites identical rows.
-- Grain: one row per alert_id. Read with FINAL. Top lists are 'NAME:count' joined by ','.
-- Partitioned by the month the episode opened, which never changes for an alert.
CREATE TABLE IF NOT EXISTS alerts
(
    alert_id          String COMMENT 'deterministic id of the episode',
    state             LowCardinality(String) COMMENT 'OPENED, UPDATED, ESCALATED or RESOLVED',
    level             LowCardinality(String) COMMENT 'SPIKE or CASE_CATEGORY',
    revision          UInt32 COMMENT '0 at OPENED, +1 per later record; the highest is current',
    event_time        DateTime64(3, 'Asia/Shanghai') COMMENT 'event time of the evaluation behind this revision',
    opened_at         DateTime64(3, 'Asia/Shanghai') COMMENT 'event time the episode opened',
    scope             LowCardinality(String) COMMENT 'CATEGORY, ITEM or DISTRICT',
    category_major    LowCardinality(String),
    category_code     LowCardinality(String) COMMENT 'item of an ITEM alert, else empty',
    district          LowCardinality(String) COMMENT 'district of a DISTRICT alert, else empty',
    lead_driven       Bool COMMENT 'leads raised it before tickets did',
    tickets_elevated  Bool,
    leads_elevated    Bool,
    window_start      DateTime64(3, 'Asia/Shanghai') COMMENT 'most unusual evaluated window',
    window_end        DateTime64(3, 'Asia/Shanghai'),
    observed          UInt64,
    expected          Float64,
    score             Float64 COMMENT '-log10 p of the observed count',
    ticket_observed   UInt64,
    ticket_expected   Float64,
    lead_observed     UInt64,
    lead_expected     Float64,
    excess_tickets    Float64 COMMENT 'tickets above the expected level over the episode so far',
    days_elevated     UInt8 COMMENT 'distinct local days elevated in the last 7',
    top_items         String,
    top_streets       String,
    top_districts     String,
    top_agencies      String,
    lead_fingerprints String COMMENT 'sample content fingerprints, comma-separated',
    parent_alert_id   String COMMENT 'CATEGORY alert this one refines, else empty',
    summary_zh        String,
    summary_en        String
)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(opened_at)
ORDER BY alert_id;
