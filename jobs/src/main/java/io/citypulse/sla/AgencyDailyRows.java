package io.citypulse.sla;

import io.citypulse.clickhouse.RowWriter;
import io.citypulse.sla.records.AgencyDaily;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;

/** {@link AgencyDaily} rows of {@code agency_daily} (DDL: sql/021_agency_daily.sql). */
public final class AgencyDailyRows implements RowWriter<AgencyDaily> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "agency_daily";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "day",
                "agency",
                "tickets_dispatched",
                "tickets_returned",
                "first_dispatch_success",
                "first_dispatch_success_rate",
                "dispatched_late",
                "emergency_dispatched",
                "emergency_latency_p50_min",
                "emergency_latency_p90_min",
                "general_dispatched",
                "general_latency_p50_min",
                "general_latency_p90_min",
                "resolved_on_time",
                "resolved_late",
                "open_past_due",
                "version");
    }

    @Override
    public void bind(PreparedStatement ps, AgencyDaily r) throws SQLException {
        ps.setObject(1, LocalDate.parse(r.day));
        ps.setString(2, r.agency);
        ps.setInt(3, r.ticketsDispatched);
        ps.setInt(4, r.ticketsReturned);
        ps.setInt(5, r.firstDispatchSuccess);
        setDouble(ps, 6, r.firstDispatchSuccessRate);
        ps.setInt(7, r.dispatchedLate);
        ps.setInt(8, r.emergencyDispatched);
        setDouble(ps, 9, r.emergencyLatencyP50Min);
        setDouble(ps, 10, r.emergencyLatencyP90Min);
        ps.setInt(11, r.generalDispatched);
        setDouble(ps, 12, r.generalLatencyP50Min);
        setDouble(ps, 13, r.generalLatencyP90Min);
        ps.setInt(14, r.resolvedOnTime);
        ps.setInt(15, r.resolvedLate);
        ps.setInt(16, r.openPastDue);
        ps.setLong(17, r.version);
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }
}
