-- Panel: candidates for the weekly case-category review (每周一议) (AlertJob, table
-- case_category_weekly): the major categories that were elevated in one local week, those whose
-- alerts reached CASE_CATEGORY first, then by the tickets they added above their usual level.
-- FINAL keeps each (week, category) row's highest version (the latest state of the week).
-- Category names come from the catalogue table (empty if it is not loaded).
-- Parameters: {week_start:Date} (the local Monday of the week, e.g. toMonday(today())).
SELECT
    w.week_start,
    w.category_major,
    m.major_name_zh,
    m.major_name_en,
    w.escalated,
    w.alerts,
    w.days_elevated,
    w.hours_elevated,
    w.excess_tickets,
    w.districts,
    w.top_items,
    w.top_agencies,
    w.last_alert_id
FROM case_category_weekly AS w FINAL
LEFT JOIN
(
    SELECT category_major, any(major_name_zh) AS major_name_zh, any(major_name_en) AS major_name_en
    FROM catalogue FINAL
    GROUP BY category_major
) AS m ON m.category_major = w.category_major
WHERE w.week_start = {week_start:Date}
ORDER BY w.escalated DESC, w.excess_tickets DESC, w.category_major
