-- Breaches by agency today (SlaJob, table sla_breaches): per agency and SLA kind, the promises whose
-- deadline fell on today's local date (Asia/Shanghai) and were broken: still open, kept late, or
-- given up (ABANDONED). WITHDRAWN rows (a late event proved the promise kept) are left out.
-- DISPATCH rows carry the agency of the first dispatch; RESOLUTION rows the latest dispatch's.
SELECT
    coalesce(agency, '(not dispatched)') AS agency,
    sla_kind,
    count() AS breaches,
    countIf(status = 'OPEN') AS still_open,
    countIf(status = 'FULFILLED_LATE') AS fulfilled_late,
    countIf(status = 'ABANDONED') AS abandoned,
    round(avgIf(minutes_overdue, status = 'FULFILLED_LATE'), 1) AS avg_minutes_late
FROM sla_breaches FINAL
WHERE toDate(deadline) = toDate(now('Asia/Shanghai'))
  AND status IN ('OPEN', 'FULFILLED_LATE', 'ABANDONED')
GROUP BY agency, sla_kind
ORDER BY breaches DESC, agency, sla_kind
