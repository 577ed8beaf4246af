-- First-dispatch success (一次派单成功率) by agency over the last 7 local days (SlaJob, table
-- agency_daily; Shenzhen's headline figure is 98%). A ticket counts for the agency and local day
-- of its first dispatch; the rate is accepted-without-return over the dispatches already decided
-- (accepted or returned), so tickets still waiting for the unit do not lower it. Lowest first.
SELECT
    agency,
    sum(tickets_dispatched) AS dispatched,
    sum(first_dispatch_success) AS accepted_first_time,
    sum(tickets_returned) AS returned,
    round(sum(first_dispatch_success)
          / nullIf(sum(first_dispatch_success) + sum(tickets_returned), 0), 4)
        AS first_dispatch_success_rate,
    sum(dispatched_late) AS dispatched_late
FROM agency_daily FINAL
WHERE day >= toDate(now('Asia/Shanghai')) - 6
GROUP BY agency
ORDER BY first_dispatch_success_rate, agency
