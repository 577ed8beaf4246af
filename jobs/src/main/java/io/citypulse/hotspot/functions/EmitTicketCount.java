package io.citypulse.hotspot.functions;

import io.citypulse.hotspot.records.TicketCount;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's count into a {@link TicketCount} row keyed by (categoryMajor, categoryCode,
 * district). Each firing of the same window (the on-time one, then any allowed-lateness update)
 * carries a larger version, so the table keeps the last and most complete count.
 */
public final class EmitTicketCount
        extends ProcessWindowFunction<
                Long, TicketCount, Tuple3<String, String, String>, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            Tuple3<String, String, String> key,
            Context context,
            Iterable<Long> counts,
            Collector<TicketCount> out) {
        long count = counts.iterator().next();
        TimeWindow w = context.window();
        // Wall-clock version: a later firing or a replay always supersedes an earlier row.
        long version = System.currentTimeMillis();
        out.collect(
                new TicketCount(w.getStart(), w.getEnd(), key.f0, key.f1, key.f2, count, version));
    }
}
