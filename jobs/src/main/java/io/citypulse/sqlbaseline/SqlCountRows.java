package io.citypulse.sqlbaseline;

import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.Granularity;
import io.citypulse.counts.MultiWindowCounter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.types.Row;

/**
 * A result row of {@link HotspotSql#countsQuery} as the {@link CountRow} the ClickHouse sink
 * writes: granularity tag, window bounds (local wall-clock times of the session zone, turned back
 * into instants), dimension columns joined into the key, measure columns as counts. Every row is
 * final (window TVFs emit once, at window end); its version is the emission time with {@link
 * MultiWindowCounter#FINAL_BIT}, as for HotspotJob's final rows, so a replay replaces it.
 */
final class SqlCountRows extends RichMapFunction<Row, CountRow> {

    private static final long serialVersionUID = 1L;

    private final String zoneId;
    private final int dimensions;
    private final int measures;
    private transient ZoneId zone;
    private transient long lastVersion;

    SqlCountRows(ZoneId zone, int dimensions, int measures) {
        this.zoneId = zone.getId();
        this.dimensions = dimensions;
        this.measures = measures;
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
    }

    @Override
    public CountRow map(Row row) {
        Granularity g = granularity((String) row.getField(0));
        long start = epochMillis((LocalDateTime) row.getField(1));
        long end = epochMillis((LocalDateTime) row.getField(2));
        String[] dims = new String[dimensions];
        for (int d = 0; d < dimensions; d++) {
            dims[d] = (String) row.getField(3 + d);
        }
        long[] counts = new long[measures];
        for (int m = 0; m < measures; m++) {
            counts[m] = (Long) row.getField(3 + dimensions + m);
        }
        // Strictly increasing within this subtask, like the counter's versions.
        lastVersion = Math.max(System.currentTimeMillis(), lastVersion + 1);
        return new CountRow(
                g,
                start,
                end,
                CountFact.key(dims),
                counts,
                true,
                lastVersion | MultiWindowCounter.FINAL_BIT);
    }

    private long epochMillis(LocalDateTime local) {
        return local.atZone(zone).toInstant().toEpochMilli();
    }

    static Granularity granularity(String suffix) {
        for (Granularity g : Granularity.values()) {
            if (g.suffix().equals(suffix.strip())) {
                return g;
            }
        }
        throw new IllegalStateException("unknown granularity tag '" + suffix + "'");
    }
}
