-- Panel: internet leads by platform today and the lead-to-ticket funnel.
-- Parameters: {day:Date}.
SELECT
    platform,
    sum(captured)         AS captured,
    sum(verified_valid)   AS verified_valid,
    sum(verified_invalid) AS verified_invalid,
    sum(converted)        AS converted
FROM lead_counts_1d FINAL
WHERE toDate(window_start) = {day:Date}
GROUP BY platform
ORDER BY captured DESC
