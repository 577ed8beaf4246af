-- CityPulse on a ClickHouse cluster: the production form of every table in sql/*.sql.
--
-- Each table X of sql/ becomes a replicated local table X_local on every shard plus a Distributed
-- table X in front of it, so the jobs (which insert into X) and the dashboards (which read X FINAL)
-- keep their table names. Columns, sorting keys, partitions and TTLs are those of sql/; the
-- sorting key is the idempotency key of the jobs' at-least-once writes: never change it.
-- The sharding key of every Distributed table is a function of sorting-key columns only, so every
-- version of a row lands on the same shard and ReplacingMergeTree/FINAL can collapse them.
-- The small catalogue table is replicated whole to every node instead.
--
-- Macros {cluster}, {shard}, {replica} come from each server's config (<macros>); {database} is
-- expanded by ClickHouse. The database is `citypulse` (CLICKHOUSE_DATABASE of the deployments);
-- replace it throughout if yours differs. Run once per cluster, e.g.
--   clickhouse-client --multiquery < deploy/clickhouse/cluster.sql
-- deploy/clickhouse/README.md explains the choices; DeployManifestsTest checks that this file
-- covers exactly the tables of sql/*.sql with the same columns and sorting keys.

CREATE DATABASE IF NOT EXISTS citypulse ON CLUSTER '{cluster}';

-- ticket_counts_5m (from sql/001_ticket_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_5m_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/ticket_counts_5m_local', '{replica}', version)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_5m ON CLUSTER '{cluster}'
AS citypulse.ticket_counts_5m_local
ENGINE = Distributed('{cluster}', citypulse, ticket_counts_5m_local, cityHash64(category_code, district));

-- ticket_counts_1h (from sql/001_ticket_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_1h_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/ticket_counts_1h_local', '{replica}', version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_1h ON CLUSTER '{cluster}'
AS citypulse.ticket_counts_1h_local
ENGINE = Distributed('{cluster}', citypulse, ticket_counts_1h_local, cityHash64(category_code, district));

-- ticket_counts_1d (from sql/001_ticket_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_1d_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/ticket_counts_1d_local', '{replica}', version)
PARTITION BY toYear(window_start)
ORDER BY (window_start, category_major, category_code, district, agency, channel)
TTL toDateTime(window_start) + INTERVAL 3650 DAY;

CREATE TABLE IF NOT EXISTS citypulse.ticket_counts_1d ON CLUSTER '{cluster}'
AS citypulse.ticket_counts_1d_local
ENGINE = Distributed('{cluster}', citypulse, ticket_counts_1d_local, cityHash64(category_code, district));

-- rejected_events (from sql/002_rejected_events.sql)
CREATE TABLE IF NOT EXISTS citypulse.rejected_events_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/rejected_events_local', '{replica}', rejected_at)
PARTITION BY toYYYYMM(rejected_at)
ORDER BY (job, source_topic, source_partition, source_offset, reason)
TTL toDateTime(rejected_at) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS citypulse.rejected_events ON CLUSTER '{cluster}'
AS citypulse.rejected_events_local
ENGINE = Distributed('{cluster}', citypulse, rejected_events_local, cityHash64(source_topic, source_partition, source_offset));

-- lead_counts_5m (from sql/003_lead_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.lead_counts_5m_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/lead_counts_5m_local', '{replica}', version)
PARTITION BY toYYYYMMDD(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 90 DAY;

CREATE TABLE IF NOT EXISTS citypulse.lead_counts_5m ON CLUSTER '{cluster}'
AS citypulse.lead_counts_5m_local
ENGINE = Distributed('{cluster}', citypulse, lead_counts_5m_local, cityHash64(category_code, district));

-- lead_counts_1h (from sql/003_lead_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.lead_counts_1h_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/lead_counts_1h_local', '{replica}', version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 730 DAY;

CREATE TABLE IF NOT EXISTS citypulse.lead_counts_1h ON CLUSTER '{cluster}'
AS citypulse.lead_counts_1h_local
ENGINE = Distributed('{cluster}', citypulse, lead_counts_1h_local, cityHash64(category_code, district));

-- lead_counts_1d (from sql/003_lead_counts.sql)
CREATE TABLE IF NOT EXISTS citypulse.lead_counts_1d_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/lead_counts_1d_local', '{replica}', version)
PARTITION BY toYear(window_start)
ORDER BY (window_start, category_major, category_code, district, platform)
TTL toDateTime(window_start) + INTERVAL 3650 DAY;

CREATE TABLE IF NOT EXISTS citypulse.lead_counts_1d ON CLUSTER '{cluster}'
AS citypulse.lead_counts_1d_local
ENGINE = Distributed('{cluster}', citypulse, lead_counts_1d_local, cityHash64(category_code, district));

-- hotspots (from sql/004_hotspots.sql)
CREATE TABLE IF NOT EXISTS citypulse.hotspots_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/hotspots_local', '{replica}', version)
PARTITION BY toYYYYMM(window_end)
ORDER BY (window_end, scope, rank)
TTL toDateTime(window_end) + INTERVAL 400 DAY;

CREATE TABLE IF NOT EXISTS citypulse.hotspots ON CLUSTER '{cluster}'
AS citypulse.hotspots_local
ENGINE = Distributed('{cluster}', citypulse, hotspots_local, cityHash64(scope));

-- catalogue (from sql/005_catalogue.sql)
-- A small dimension table: a full copy on every node (one replica set across the whole cluster,
-- no {shard} in the path), so dashboards join it locally; no Distributed table in front.
CREATE TABLE IF NOT EXISTS citypulse.catalogue ON CLUSTER '{cluster}'
(
    category_code            String COMMENT 'item code, the categoryCode of events, e.g. NOISE-CONSTRUCTION',
    category_major           LowCardinality(String) COMMENT 'major category code, the categoryMajor of events',
    item_name_en             String COMMENT 'item name, English',
    item_name_zh             String COMMENT 'item name, Chinese',
    major_name_en            LowCardinality(String) COMMENT 'major category name, English',
    major_name_zh            LowCardinality(String) COMMENT 'major category name, Chinese',
    agency                   LowCardinality(String) COMMENT 'responsible unit',
    default_resolution_hours UInt32 COMMENT 'default resolution time; dueTime = creation + this',
    dispatch_limit_minutes   Nullable(UInt32) COMMENT 'stricter dispatch deadline of the item; null: the platform''s (30 min emergency, 2 h general)',
    major_rank               UInt16 COMMENT 'display order of the major (1 = first in majors.csv)',
    item_rank                UInt16 COMMENT 'position of the item within its major (1 = most frequent)',
    version                  UInt64 COMMENT 'load time in ms; the highest version of a code is current'
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/catalogue', '{replica}', version)
ORDER BY category_code;

-- sla_breaches (from sql/020_sla_breaches.sql)
CREATE TABLE IF NOT EXISTS citypulse.sla_breaches_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/sla_breaches_local', '{replica}', version)
ORDER BY (sla_kind, ticket_id);

CREATE TABLE IF NOT EXISTS citypulse.sla_breaches ON CLUSTER '{cluster}'
AS citypulse.sla_breaches_local
ENGINE = Distributed('{cluster}', citypulse, sla_breaches_local, cityHash64(ticket_id));

-- agency_daily (from sql/021_agency_daily.sql)
CREATE TABLE IF NOT EXISTS citypulse.agency_daily_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/agency_daily_local', '{replica}', version)
PARTITION BY toYYYYMM(day)
ORDER BY (day, agency);

CREATE TABLE IF NOT EXISTS citypulse.agency_daily ON CLUSTER '{cluster}'
AS citypulse.agency_daily_local
ENGINE = Distributed('{cluster}', citypulse, agency_daily_local, cityHash64(agency));

-- alerts (from sql/030_alerts.sql)
CREATE TABLE IF NOT EXISTS citypulse.alerts_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/alerts_local', '{replica}', revision)
PARTITION BY toYYYYMM(opened_at)
ORDER BY alert_id;

CREATE TABLE IF NOT EXISTS citypulse.alerts ON CLUSTER '{cluster}'
AS citypulse.alerts_local
ENGINE = Distributed('{cluster}', citypulse, alerts_local, cityHash64(alert_id));

-- case_category_weekly (from sql/031_case_category_weekly.sql)
CREATE TABLE IF NOT EXISTS citypulse.case_category_weekly_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/case_category_weekly_local', '{replica}', version)
ORDER BY (week_start, category_major);

CREATE TABLE IF NOT EXISTS citypulse.case_category_weekly ON CLUSTER '{cluster}'
AS citypulse.case_category_weekly_local
ENGINE = Distributed('{cluster}', citypulse, case_category_weekly_local, cityHash64(category_major));
