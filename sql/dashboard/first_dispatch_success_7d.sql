-- Panel (big screen): first-dispatch success (一次派单成功率, target 98%) by agency over the 7
-- local days ending with {day:Date} (SlaJob, agency_daily): accepted-without-return over the
-- dispatches already decided (accepted or returned), as sla_first_dispatch_success.sql computes
-- it for the server's today. The page adds the city-wide rate from the same sums. Lowest first.
SELECT
    agency,
    sum(tickets_dispatched)     AS dispatched,
    sum(first_dispatch_success) AS accepted_first_time,
    sum(tickets_returned)       AS returned,
    round(sum(first_dispatch_success)
          / nullIf(sum(first_dispatch_success) + sum(tickets_returned), 0), 4)
        AS first_dispatch_success_rate
FROM agency_daily FINAL
WHERE day BETWEEN {day:Date} - 6 AND {day:Date}
GROUP BY agency
HAVING dispatched > 0
ORDER BY first_dispatch_success_rate, agency
