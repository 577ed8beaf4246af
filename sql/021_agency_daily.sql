-- Agency performance per local day (SlaJob). Grain: one row per (day, agency), where a ticket
-- counts for the agency of its FIRST dispatch on the local day (--zone, default Asia/Shanghai) of
-- that dispatch. The row is rewritten (higher version) as those tickets are accepted, returned and
-- resolved, until they close or age out.
-- No TTL: imports of old exports (e.g. 311 data from 2014) must not expire on arrival; set a
-- retention with ALTER TABLE ... MODIFY TTL where wanted.
-- Idempotent: ReplacingMergeTree keeps the highest version; read with FINAL.
CREATE TABLE IF NOT EXISTS agency_daily
(
    day                         Date COMMENT 'local day of the first dispatch',
    agency                      LowCardinality(String) COMMENT 'agency of the first dispatch',
    tickets_dispatched          UInt32 COMMENT 'tickets first dispatched to the agency that day',
    tickets_returned            UInt32 COMMENT 'of those, returned at least once',
    first_dispatch_success      UInt32 COMMENT 'of those, accepted without any return',
    first_dispatch_success_rate Nullable(Float64) COMMENT 'success / (success + returned); null while none decided',
    dispatched_late             UInt32 COMMENT 'of those, first dispatch after the dispatch deadline',
    emergency_dispatched        UInt32 COMMENT 'EMERGENCY tickets among them',
    emergency_latency_p50_min   Nullable(Float64) COMMENT 'dispatch latency (first dispatch - creation), nearest-rank p50, minutes',
    emergency_latency_p90_min   Nullable(Float64) COMMENT 'same, p90',
    general_dispatched          UInt32 COMMENT 'GENERAL tickets among them',
    general_latency_p50_min     Nullable(Float64) COMMENT 'dispatch latency p50, minutes',
    general_latency_p90_min     Nullable(Float64) COMMENT 'dispatch latency p90, minutes',
    resolved_on_time            UInt32 COMMENT 'resolved by the due time (not reopened after it)',
    resolved_late               UInt32 COMMENT 'resolved after the due time',
    open_past_due               UInt32 COMMENT 'not resolved and past the due time',
    version                     UInt64 COMMENT 'event time (ms) of the emission; the highest is current'
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (day, agency);
