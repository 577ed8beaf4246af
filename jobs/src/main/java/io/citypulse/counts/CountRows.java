package io.citypulse.counts;

import io.citypulse.clickhouse.RowWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CountRow}s as rows of one count table: window bounds, the dimension columns, the measure
 * columns, {@code is_final} and {@code version}.
 */
public final class CountRows implements RowWriter<CountRow> {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final List<String> dimensions;
    private final List<String> measures;

    public CountRows(String table, List<String> dimensions, List<String> measures) {
        this.table = table;
        this.dimensions = List.copyOf(dimensions);
        this.measures = List.copyOf(measures);
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public List<String> columns() {
        List<String> cols = new ArrayList<>();
        cols.add("window_start");
        cols.add("window_end");
        cols.addAll(dimensions);
        cols.addAll(measures);
        cols.add("is_final");
        cols.add("version");
        return cols;
    }

    /** Every count table's TTL counts from the window's start (sql/001, sql/003). */
    @Override
    public String ttlColumn() {
        return "window_start";
    }

    @Override
    public long ttlTime(CountRow row) {
        return row.windowStart;
    }

    @Override
    public void bind(PreparedStatement ps, CountRow row) throws SQLException {
        int i = 1;
        RowWriter.setTime(ps, i++, row.windowStart);
        RowWriter.setTime(ps, i++, row.windowEnd);
        // The key's values in order, read in place; missing trailing ones are empty.
        String key = row.key;
        int from = 0;
        for (int d = 0; d < dimensions.size(); d++) {
            String value = "";
            if (from >= 0) {
                int to = key.indexOf(CountFact.SEPARATOR, from);
                value = to < 0 ? key.substring(from) : key.substring(from, to);
                from = to < 0 ? -1 : to + 1;
            }
            ps.setString(i++, value);
        }
        for (int m = 0; m < measures.size(); m++) {
            ps.setLong(i++, row.counts[m]);
        }
        ps.setInt(i++, row.isFinal ? 1 : 0);
        ps.setLong(i, row.version);
    }
}
