package io.citypulse.alerts;

import io.citypulse.alerts.records.TopLists;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.clickhouse.RowWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@link HotspotAlert}s as rows of {@code alerts} (DDL: sql/030_alerts.sql). */
public final class AlertRows implements RowWriter<HotspotAlert> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "alerts";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "alert_id",
                "state",
                "level",
                "revision",
                "event_time",
                "opened_at",
                "scope",
                "category_major",
                "category_code",
                "district",
                "lead_driven",
                "tickets_elevated",
                "leads_elevated",
                "window_start",
                "window_end",
                "observed",
                "expected",
                "score",
                "ticket_observed",
                "ticket_expected",
                "lead_observed",
                "lead_expected",
                "excess_tickets",
                "days_elevated",
                "top_items",
                "top_streets",
                "top_districts",
                "top_agencies",
                "lead_fingerprints",
                "parent_alert_id",
                "summary_zh",
                "summary_en");
    }

    @Override
    public void bind(PreparedStatement ps, HotspotAlert a) throws SQLException {
        int i = 1;
        ps.setString(i++, a.getAlertId());
        ps.setString(i++, a.getState().name());
        ps.setString(i++, a.getLevel().name());
        ps.setInt(i++, a.getRevision());
        RowWriter.setTime(ps, i++, a.getEventTime().toEpochMilli());
        RowWriter.setTime(ps, i++, a.getOpenedAt().toEpochMilli());
        ps.setString(i++, a.getScope().name());
        ps.setString(i++, a.getCategoryMajor());
        ps.setString(i++, a.getCategoryCode() == null ? "" : a.getCategoryCode());
        ps.setString(i++, a.getDistrict() == null ? "" : a.getDistrict());
        ps.setBoolean(i++, a.getLeadDriven());
        ps.setBoolean(i++, a.getTicketsElevated());
        ps.setBoolean(i++, a.getLeadsElevated());
        RowWriter.setTime(ps, i++, a.getWindowStart().toEpochMilli());
        RowWriter.setTime(ps, i++, a.getWindowEnd().toEpochMilli());
        ps.setLong(i++, a.getObserved());
        ps.setDouble(i++, a.getExpected());
        ps.setDouble(i++, a.getScore());
        ps.setLong(i++, a.getTicketObserved());
        ps.setDouble(i++, a.getTicketExpected());
        ps.setLong(i++, a.getLeadObserved());
        ps.setDouble(i++, a.getLeadExpected());
        ps.setDouble(i++, a.getExcessTickets());
        ps.setInt(i++, a.getDaysElevated());
        ps.setString(i++, TopLists.joined(a.getTopItems()));
        ps.setString(i++, TopLists.joined(a.getTopStreets()));
        ps.setString(i++, TopLists.joined(a.getTopDistricts()));
        ps.setString(i++, TopLists.joined(a.getTopAgencies()));
        ps.setString(i++, String.join(",", a.getLeadFingerprints()));
        ps.setString(i++, a.getParentAlertId() == null ? "" : a.getParentAlertId());
        ps.setString(i++, a.getSummaryZh());
        ps.setString(i, a.getSummaryEn());
    }
}
