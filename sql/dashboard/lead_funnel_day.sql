-- Panel (big screen): the lead-to-ticket funnel of one local day (HotspotJob, lead_counts_1d):
-- posts captured on the watched platforms, verified valid or invalid, converted into tickets.
-- One row; zeros when the day has no leads. Parameters: {day:Date}.
SELECT
    sum(captured)         AS captured,
    sum(verified_valid)   AS verified_valid,
    sum(verified_invalid) AS verified_invalid,
    sum(converted)        AS converted
FROM lead_counts_1d FINAL
WHERE toDate(window_start) = {day:Date}
