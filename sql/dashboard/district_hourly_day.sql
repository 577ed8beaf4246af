-- Panel (big screen, heat grid): tickets created per district and local hour of one day, from the
-- hourly counts (HotspotJob, ticket_counts_1h). FINAL keeps each window's newest emission, so live
-- partial rows of the running hour and their replacements never double count.
-- Parameters: {day:Date} (local day, Asia/Shanghai).
SELECT
    district,
    toHour(window_start) AS hour,
    sum(created)         AS created
FROM ticket_counts_1h FINAL
WHERE toDate(window_start) = {day:Date}
GROUP BY district, hour
ORDER BY district, hour
