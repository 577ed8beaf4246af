-- Panel: the major categories with most tickets created in one local hour, with their leading item.
-- Parameters: {hour:DateTime} (start of the local hour, e.g. toStartOfHour(now())).
SELECT
    category_major,
    sum(item_created) AS tickets,
    argMax(category_code, item_created) AS top_item
FROM
(
    SELECT category_major, category_code, sum(created) AS item_created
    FROM ticket_counts_1h FINAL
    WHERE window_start = toDateTime64({hour:DateTime}, 3, 'Asia/Shanghai')
    GROUP BY category_major, category_code
)
GROUP BY category_major
ORDER BY tickets DESC
LIMIT 10
