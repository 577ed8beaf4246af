package io.citypulse.hotspot;

import io.citypulse.clickhouse.RowWriter;
import io.citypulse.hotspot.records.TicketCount;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@link TicketCount} rows of {@code ticket_counts_5m} (DDL: sql/001_ticket_counts_5m.sql). */
public final class TicketCountRows implements RowWriter<TicketCount> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "ticket_counts_5m";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "window_start",
                "window_end",
                "category_major",
                "category_code",
                "district",
                "created",
                "version");
    }

    @Override
    public void bind(PreparedStatement ps, TicketCount row) throws SQLException {
        ps.setLong(1, row.windowStart);
        ps.setLong(2, row.windowEnd);
        ps.setString(3, row.categoryMajor);
        ps.setString(4, row.categoryCode);
        ps.setString(5, row.district);
        ps.setLong(6, row.created);
        ps.setLong(7, row.version);
    }
}
