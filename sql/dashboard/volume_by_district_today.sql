-- Panel: tickets created today by district, with the emergency share (big-screen map / heat grid).
-- Parameters: {day:Date} (the local day to show, e.g. today()). Reads the daily table with FINAL,
-- so live partial rows and their replacements never double count.
SELECT
    district,
    sum(created)   AS created,
    sum(emergency) AS emergency,
    sum(dispatched) AS dispatched,
    sum(resolved)  AS resolved
FROM ticket_counts_1d FINAL
WHERE toDate(window_start) = {day:Date}
GROUP BY district
ORDER BY created DESC
