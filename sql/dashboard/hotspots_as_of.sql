-- Panel (big screen): the current hotspots, i.e. the latest hourly ranking (HotspotJob, hotspots)
-- of {scope:String} ('city' or a district) that ended on {day:Date} no later than
-- {until_minute:UInt16} minutes after local midnight (the server passes the current minute for
-- today, 1440 for a past day). FINAL keeps the newest version of each rank. Top 10.
WITH toDateTime64({day:Date}, 3, 'Asia/Shanghai') + toIntervalMinute({until_minute:UInt16}) AS as_of
SELECT
    rank, category_major, district, volume, round(expected, 1) AS expected,
    round(growth, 2) AS growth, round(score, 2) AS score, top_items, window_end
FROM hotspots FINAL
WHERE scope = {scope:String}
  AND window_end = (
      SELECT max(window_end) FROM hotspots
      WHERE scope = {scope:String}
        AND window_end > toDateTime64({day:Date}, 3, 'Asia/Shanghai')
        AND window_end <= as_of)
ORDER BY rank
LIMIT 10
