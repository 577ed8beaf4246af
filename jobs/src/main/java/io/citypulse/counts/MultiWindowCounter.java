package io.citypulse.counts;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Counts events per dimension key in 5-minute, hourly and daily event-time windows at once, with
 * live partial results and allowed lateness.
 *
 * <ul>
 *   <li>Input: {@link CountFact}s keyed by {@link CountFact#key}; each adds one to the measures
 *       whose bits it sets.
 *   <li>State per key: for each granularity a map window start → counts (plus a dirty flag and the
 *       last version), and the pending partial-result timer. A window's entry exists from its first
 *       event until the watermark passes its end plus the allowed lateness.
 *   <li>Output: {@link CountRow}s. A final row when the watermark passes the window end; a final
 *       row again for every update by a late event within the allowed lateness; and, while the
 *       window is open, a partial row at most every {@code partialEvery} of processing time when
 *       the window changed (so "today so far" on a big screen is seconds behind, not a day).
 *   <li>Facts too late even for the lateness of their 5-minute window go to {@link #TOO_LATE}.
 *       Upstream gates reject those already; this is the safety net that keeps them visible.
 * </ul>
 *
 * <p>One operator for all three granularities costs one shuffle and one state lookup per window per
 * event, instead of three window operators with three shuffles.
 */
public final class MultiWindowCounter extends KeyedProcessFunction<String, CountFact, CountRow> {

    private static final long serialVersionUID = 1L;

    /** Set in the version of final rows: a final row outranks every partial one of its window. */
    public static final long FINAL_BIT = 1L << 62;

    public static final OutputTag<CountFact> TOO_LATE = new OutputTag<>("too-late") {};

    private final int measures;
    private final String zoneId;
    private final long latenessMs;
    private final long partialEveryMs;

    private transient ZoneId zone;
    private transient Map<Granularity, MapState<Long, long[]>> buckets;
    private transient ValueState<Long> partialTimer;

    /**
     * @param measures number of measures (bits of {@link CountFact#measures})
     * @param zone zone whose local clock aligns hours and days
     * @param allowedLateness how long after a window's end late events still update it
     * @param partialEvery how often open windows publish partial results (zero: never)
     */
    public MultiWindowCounter(
            int measures, ZoneId zone, Duration allowedLateness, Duration partialEvery) {
        this.measures = measures;
        this.zoneId = zone.getId();
        this.latenessMs = allowedLateness.toMillis();
        this.partialEveryMs = partialEvery.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
        buckets = new EnumMap<>(Granularity.class);
        for (Granularity g : Granularity.values()) {
            buckets.put(
                    g,
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "counts-" + g.suffix(),
                                            Types.LONG,
                                            PrimitiveArrayTypeInfo
                                                    .LONG_PRIMITIVE_ARRAY_TYPE_INFO)));
        }
        partialTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("partial-timer", Types.LONG));
    }

    // Layout of a bucket: counts[0..measures-1], then the dirty flag, then the last version.
    private int dirtyIndex() {
        return measures;
    }

    private int versionIndex() {
        return measures + 1;
    }

    @Override
    public void processElement(CountFact fact, Context ctx, Collector<CountRow> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long t = fact.time;
        long fiveMinuteEnd =
                Granularity.FIVE_MINUTES.end(Granularity.FIVE_MINUTES.start(t, zone), zone);
        if (watermark >= fiveMinuteEnd - 1 + latenessMs) {
            ctx.output(TOO_LATE, fact);
            return;
        }
        boolean anyOpenChanged = false;
        for (Granularity g : Granularity.values()) {
            long start = g.start(t, zone);
            long end = g.end(start, zone);
            MapState<Long, long[]> state = buckets.get(g);
            long[] bucket = state.get(start);
            if (bucket == null) {
                bucket = new long[measures + 2];
                // Final emission when the window ends, clean-up when its lateness has passed.
                ctx.timerService().registerEventTimeTimer(end - 1);
                ctx.timerService().registerEventTimeTimer(end - 1 + latenessMs);
            }
            for (int m = 0; m < measures; m++) {
                if ((fact.measures & (1 << m)) != 0) {
                    bucket[m]++;
                }
            }
            if (watermark >= end - 1) {
                // A late event within the allowed lateness: the window was already final, so
                // publish the corrected final row now.
                out.collect(row(g, start, end, ctx.getCurrentKey(), bucket, true));
                bucket[dirtyIndex()] = 0;
            } else {
                bucket[dirtyIndex()] = 1;
                anyOpenChanged = true;
            }
            state.put(start, bucket);
        }
        if (anyOpenChanged && partialEveryMs > 0 && partialTimer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + partialEveryMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            partialTimer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CountRow> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            partialTimer.clear();
            long watermark = ctx.timerService().currentWatermark();
            for (Granularity g : Granularity.values()) {
                MapState<Long, long[]> state = buckets.get(g);
                for (Map.Entry<Long, long[]> e : state.entries()) {
                    long[] bucket = e.getValue();
                    long end = g.end(e.getKey(), zone);
                    if (bucket[dirtyIndex()] == 1 && watermark < end - 1) {
                        out.collect(row(g, e.getKey(), end, key, bucket, false));
                        bucket[dirtyIndex()] = 0;
                        state.put(e.getKey(), bucket);
                    }
                }
            }
            return;
        }
        for (Granularity g : Granularity.values()) {
            MapState<Long, long[]> state = buckets.get(g);
            List<Long> expired = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : state.entries()) {
                long start = e.getKey();
                long end = g.end(start, zone);
                long[] bucket = e.getValue();
                boolean closes = timestamp == end - 1;
                boolean expires = timestamp >= end - 1 + latenessMs;
                if (closes || (expires && bucket[dirtyIndex()] == 1)) {
                    out.collect(row(g, start, end, key, bucket, true));
                    bucket[dirtyIndex()] = 0;
                    state.put(start, bucket);
                }
                if (expires) {
                    expired.add(start);
                }
            }
            for (Long start : expired) {
                state.remove(start);
            }
        }
    }

    private CountRow row(
            Granularity g, long start, long end, String key, long[] bucket, boolean isFinal) {
        // Strictly increasing per window, whatever the clock does; final rows outrank partial.
        long sequence = Math.max(System.currentTimeMillis(), bucket[versionIndex()] + 1);
        bucket[versionIndex()] = sequence;
        long[] counts = java.util.Arrays.copyOf(bucket, measures);
        return new CountRow(
                g, start, end, key, counts, isFinal, isFinal ? sequence | FINAL_BIT : sequence);
    }
}
