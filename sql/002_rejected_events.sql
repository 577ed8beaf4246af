-- Records a job could not use (dead letters), with the reason; the original bytes stay in the
-- Kafka topic dead-letters. Grain: one row per (job, source record, reason); a replay that rejects
-- the same record again replaces its row instead of adding one.
CREATE TABLE IF NOT EXISTS rejected_events
(
    job              LowCardinality(String) COMMENT 'job that rejected the record',
    source_topic     LowCardinality(String),
    source_partition Int32,
    source_offset    Int64,
    reason           LowCardinality(String) COMMENT 'UNDECODABLE reasons, INVALID_TIME, LATE, ...',
    detail           String COMMENT 'human-readable explanation',
    event_id         Nullable(String) COMMENT 'eventId when the record decoded',
    event_time       Nullable(DateTime64(3, 'Asia/Shanghai')) COMMENT 'event time when known',
    rejected_at      DateTime64(3, 'Asia/Shanghai') COMMENT 'wall-clock time of the rejection',
    payload_bytes    UInt32 COMMENT 'size of the original record value'
)
ENGINE = ReplacingMergeTree(rejected_at)
PARTITION BY toYYYYMM(rejected_at)
ORDER BY (job, source_topic, source_partition, source_offset, reason)
TTL toDateTime(rejected_at) + INTERVAL 90 DAY;
