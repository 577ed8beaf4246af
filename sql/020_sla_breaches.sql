-- Broken promises of tickets (SlaJob): the dispatch deadline (30 min emergency, 2 h general, or a
-- stricter configured limit) and the resolution deadline (dueTime, else the item's default).
-- Grain: one row per (ticket_id, sla_kind). A row is written the moment the deadline passes
-- unfulfilled (status OPEN) and written again, with a higher version, when it changes:
-- FULFILLED_LATE (fulfilled, minutes_overdue), WITHDRAWN (a late event proved the promise kept),
-- ABANDONED (the ticket outlived --max-ticket-age and is no longer tracked).
-- No TTL: imports of old exports (e.g. 311 data from 2014) must not expire on arrival; set a
-- retention with ALTER TABLE ... MODIFY TTL where wanted.
-- Idempotent: ReplacingMergeTree keeps the highest version of a row; versions are event times, so
-- a replay rewrites identical rows. Read with FINAL (or argMax by version).
CREATE TABLE IF NOT EXISTS sla_breaches
(
    ticket_id       String COMMENT 'ticket id',
    sla_kind        LowCardinality(String) COMMENT 'DISPATCH or RESOLUTION',
    urgency         LowCardinality(String) COMMENT 'EMERGENCY or GENERAL',
    expedited       Bool COMMENT 'expedited ticket',
    category_major  LowCardinality(String) COMMENT 'major category',
    category_code   LowCardinality(String) COMMENT 'catalogue item code',
    district        LowCardinality(String) COMMENT 'district',
    agency          Nullable(String) COMMENT 'DISPATCH: agency of the first dispatch; RESOLUTION: of the latest dispatch; null if undispatched',
    created         DateTime64(3, 'Asia/Shanghai') COMMENT 'ticket creation (intake), event time',
    deadline        DateTime64(3, 'Asia/Shanghai') COMMENT 'the deadline that was missed',
    fulfilled       Nullable(DateTime64(3, 'Asia/Shanghai')) COMMENT 'first dispatch / final resolution, null while not fulfilled',
    minutes_overdue Nullable(Float64) COMMENT 'FULFILLED_LATE: fulfilled - deadline; ABANDONED: at abandonment; else null (compute from now())',
    status          LowCardinality(String) COMMENT 'OPEN, FULFILLED_LATE, WITHDRAWN or ABANDONED',
    version         UInt64 COMMENT 'event time (ms) as of which the row holds; the highest is current'
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (sla_kind, ticket_id);
