-- Breaches open now (SlaJob, table sla_breaches): every promise whose deadline has passed and that
-- is still not kept, most overdue first. One row per (ticket, SLA kind). An OPEN row is written
-- once, the moment its deadline passes, and is not rewritten while it grows, so the time overdue
-- is computed here from now(). Undispatched tickets have no agency yet.
SELECT
    ticket_id,
    sla_kind,
    urgency,
    expedited,
    category_major,
    category_code,
    district,
    coalesce(agency, '(not dispatched)') AS agency,
    created,
    deadline,
    dateDiff('minute', deadline, now64(3, 'Asia/Shanghai')) AS minutes_overdue_now
FROM sla_breaches FINAL
WHERE status = 'OPEN'
ORDER BY deadline, ticket_id, sla_kind
LIMIT 1000
