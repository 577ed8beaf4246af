-- Panel (big screen): the daily tickets of the 6 major categories with most tickets over the 7
-- local days ending with {day:Date} (HotspotJob, ticket_counts_1d; FINAL: newest emission).
-- One row per (day, category) that has tickets; the page fills missing days with 0.
SELECT
    toDate(window_start) AS day,
    category_major,
    sum(created)         AS created
FROM ticket_counts_1d FINAL
WHERE toDate(window_start) BETWEEN {day:Date} - 6 AND {day:Date}
  AND category_major IN (
      SELECT category_major FROM ticket_counts_1d FINAL
      WHERE toDate(window_start) BETWEEN {day:Date} - 6 AND {day:Date}
      GROUP BY category_major
      ORDER BY sum(created) DESC, category_major
      LIMIT 6)
GROUP BY day, category_major
ORDER BY day, category_major
