package io.citypulse.hotspot;

import io.citypulse.clickhouse.RowWriter;
import io.citypulse.hotspot.records.HotspotRow;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** {@link HotspotRow}s as rows of {@code hotspots} (DDL: sql/004_hotspots.sql). */
public final class HotspotRows implements RowWriter<HotspotRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "hotspots";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "window_end",
                "scope",
                "rank",
                "category_major",
                "district",
                "volume",
                "expected",
                "growth",
                "score",
                "top_items",
                "top_agencies",
                "version");
    }

    /** The table's TTL counts from the ranking's time (sql/004). */
    @Override
    public String ttlColumn() {
        return "window_end";
    }

    @Override
    public long ttlTime(HotspotRow row) {
        return row.windowEnd;
    }

    @Override
    public void bind(PreparedStatement ps, HotspotRow r) throws SQLException {
        RowWriter.setTime(ps, 1, r.windowEnd);
        ps.setString(2, r.scope);
        ps.setInt(3, r.rank);
        ps.setString(4, r.categoryMajor);
        ps.setString(5, r.district);
        ps.setLong(6, r.volume);
        ps.setDouble(7, r.expected);
        ps.setDouble(8, r.growth);
        ps.setDouble(9, r.score);
        ps.setString(10, r.topItems);
        ps.setString(11, r.topAgencies);
        ps.setLong(12, r.version);
    }
}
