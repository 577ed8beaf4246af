-- Panel (big screen): tickets created per local hour of {day:Date} and of the day before, both cut
-- at the same time of day, {until_minute:UInt16} minutes after local midnight (the server passes
-- the current minute for today, 1440 for a past day), so "today vs yesterday" compares like with
-- like. Five-minute counts (ticket_counts_5m, FINAL: newest emission of each window); a window
-- counts when it starts before the cut.
SELECT
    toHour(window_start) AS hour,
    sumIf(created, toDate(window_start) = {day:Date})     AS today,
    sumIf(created, toDate(window_start) = {day:Date} - 1) AS yesterday
FROM ticket_counts_5m FINAL
WHERE toDate(window_start) IN ({day:Date}, {day:Date} - 1)
  AND toHour(window_start) * 60 + toMinute(window_start) < {until_minute:UInt16}
GROUP BY hour
ORDER BY hour
