-- Panel: alerts open now (AlertJob, table alerts): every alert episode whose latest state is not
-- RESOLVED, the most recently opened first. FINAL keeps each alert_id's highest revision before the
-- WHERE applies, so an episode disappears the moment its RESOLVED revision is written, and an
-- older revision of a resolved episode never shows. category_code / district are empty unless the
-- scope is ITEM / DISTRICT. opened_at is the event time the episode opened; updated_at the event
-- time of its latest revision. Parameters: none.
SELECT
    alert_id,
    level,
    state,
    scope,
    category_major,
    category_code,
    district,
    observed,
    round(expected, 1) AS expected,
    round(score, 1)    AS score,
    summary_zh,
    summary_en,
    opened_at,
    event_time         AS updated_at,
    lead_driven,
    parent_alert_id
FROM alerts FINAL
WHERE state != 'RESOLVED'
ORDER BY opened_at DESC, alert_id
LIMIT 200
