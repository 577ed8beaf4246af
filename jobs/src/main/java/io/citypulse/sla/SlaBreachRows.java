package io.citypulse.sla;

import io.citypulse.clickhouse.RowWriter;
import io.citypulse.sla.records.SlaBreach;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** {@link SlaBreach} rows of {@code sla_breaches} (DDL: sql/020_sla_breaches.sql). */
public final class SlaBreachRows implements RowWriter<SlaBreach> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "sla_breaches";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "ticket_id",
                "sla_kind",
                "urgency",
                "expedited",
                "category_major",
                "category_code",
                "district",
                "agency",
                "created",
                "deadline",
                "fulfilled",
                "minutes_overdue",
                "status",
                "version");
    }

    @Override
    public void bind(PreparedStatement ps, SlaBreach b) throws SQLException {
        ps.setString(1, b.ticketId);
        ps.setString(2, b.slaKind);
        ps.setString(3, b.urgency);
        ps.setBoolean(4, b.expedited);
        ps.setString(5, b.categoryMajor);
        ps.setString(6, b.categoryCode);
        ps.setString(7, b.district);
        if (b.agency == null) {
            ps.setNull(8, Types.VARCHAR);
        } else {
            ps.setString(8, b.agency);
        }
        RowWriter.setTime(ps, 9, b.created);
        RowWriter.setTime(ps, 10, b.deadline);
        if (b.fulfilled == null) {
            ps.setNull(11, Types.TIMESTAMP);
        } else {
            RowWriter.setTime(ps, 11, b.fulfilled);
        }
        if (b.minutesOverdue == null) {
            ps.setNull(12, Types.DOUBLE);
        } else {
            ps.setDouble(12, b.minutesOverdue);
        }
        ps.setString(13, b.status);
        ps.setLong(14, b.version);
    }
}
