-- Panel (big screen): SLA breaches by agency on one local day (SlaJob, sla_breaches): like
-- sla_breaches_by_agency_today.sql, for the day {day:Date} instead of the server's today: the
-- promises whose deadline fell on that day and were broken (still open, kept late, abandoned).
-- WITHDRAWN rows (a late event proved the promise kept) are left out.
SELECT
    coalesce(agency, '(not dispatched)') AS agency,
    count() AS breaches,
    countIf(status = 'OPEN') AS still_open,
    countIf(status = 'FULFILLED_LATE') AS fulfilled_late,
    countIf(status = 'ABANDONED') AS abandoned
FROM sla_breaches FINAL
WHERE toDate(deadline) = {day:Date}
  AND status IN ('OPEN', 'FULFILLED_LATE', 'ABANDONED')
GROUP BY agency
ORDER BY breaches DESC, agency
LIMIT 15
