package io.citypulse.alerts;

import io.citypulse.alerts.records.WeeklyRow;
import io.citypulse.clickhouse.RowWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/**
 * {@link WeeklyRow}s as rows of {@code case_category_weekly} (sql/031_case_category_weekly.sql).
 */
public final class WeeklyRows implements RowWriter<WeeklyRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "case_category_weekly";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "week_start",
                "category_major",
                "alerts",
                "escalated",
                "days_elevated",
                "hours_elevated",
                "excess_tickets",
                "districts",
                "top_items",
                "top_agencies",
                "last_alert_id",
                "version");
    }

    @Override
    public void bind(PreparedStatement ps, WeeklyRow r) throws SQLException {
        ps.setObject(1, LocalDate.ofEpochDay(r.weekStart));
        ps.setString(2, r.categoryMajor);
        ps.setInt(3, r.alerts);
        ps.setBoolean(4, r.escalated);
        ps.setInt(5, r.daysElevated);
        ps.setDouble(6, r.hoursElevated);
        ps.setDouble(7, r.excessTickets);
        ps.setString(8, r.districts);
        ps.setString(9, r.topItems);
        ps.setString(10, r.topAgencies);
        ps.setString(11, r.lastAlertId);
        ps.setLong(12, r.version);
    }
}
