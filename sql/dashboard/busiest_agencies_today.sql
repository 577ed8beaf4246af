-- Panel: the agencies with most tickets dispatched to them today, with returns and resolutions.
-- Parameters: {day:Date}. Agency is empty on CREATED counts, so only dispatched work shows here.
SELECT
    agency,
    sum(dispatched) AS dispatched,
    sum(returned)   AS returned,
    sum(accepted)   AS accepted,
    sum(resolved)   AS resolved
FROM ticket_counts_1d FINAL
WHERE toDate(window_start) = {day:Date} AND agency != ''
GROUP BY agency
ORDER BY dispatched DESC
LIMIT 15
