-- Panel: the current hotspot list (latest ranking), city-wide or for one district.
-- Parameters: {scope:String} ('city' or a district name). The latest ranking is the highest
-- window_end that scope has; FINAL keeps the newest version of each rank.
SELECT
    rank, category_major, district, volume, round(expected, 1) AS expected,
    round(growth, 2) AS growth, round(score, 2) AS score, top_items, top_agencies, window_end
FROM hotspots FINAL
WHERE scope = {scope:String}
  AND window_end = (SELECT max(window_end) FROM hotspots WHERE scope = {scope:String})
ORDER BY rank
