-- Panel (big screen): SLA breaches open now by agency (SlaJob, sla_breaches): promises whose
-- deadline passed and that are still not kept, split by kind; undispatched tickets count under
-- '(not dispatched)'. FINAL keeps each (kind, ticket) row's newest version. Parameters: none.
SELECT
    coalesce(agency, '(not dispatched)') AS agency,
    countIf(sla_kind = 'DISPATCH')   AS dispatch_open,
    countIf(sla_kind = 'RESOLUTION') AS resolution_open,
    count()                          AS open_breaches,
    countIf(urgency = 'EMERGENCY')   AS emergency_open
FROM sla_breaches FINAL
WHERE status = 'OPEN'
GROUP BY agency
ORDER BY open_breaches DESC, agency
LIMIT 15
