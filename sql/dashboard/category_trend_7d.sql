-- Panel: one major category's daily tickets over the 7 local days ending with {day:Date}.
-- Parameters: {category:String} (major category code, e.g. NOISE), {day:Date}.
SELECT
    toDate(window_start) AS day,
    sum(created)  AS created,
    sum(resolved) AS resolved
FROM ticket_counts_1d FINAL
WHERE category_major = {category:String}
  AND toDate(window_start) BETWEEN {day:Date} - 6 AND {day:Date}
GROUP BY day
ORDER BY day
