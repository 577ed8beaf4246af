package io.citypulse.hotspot.functions;

import io.citypulse.common.StateCaching;
import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.records.HotspotRow;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;

/**
 * Ranks (categoryMajor, district) pairs by how unusual their volume over the last hour is, every 5
 * minutes, city-wide and per district.
 *
 * <ul>
 *   <li>Input: final 5-minute ticket count rows with CREATED tickets ({@link #accepts}), all under
 *       one key (the ranking is global; the input is a few thousand rows per 5 minutes, so one
 *       subtask suffices).
 *   <li>When the watermark passes the end E of a 5-minute window, every final row of that window
 *       has arrived. Volume = CREATED tickets of the pair in [E-1h, E). Expected = the usual volume
 *       of the same local clock hour (the one holding E-30min) on earlier days, an exponentially
 *       weighted mean; before the first such day, the pair's mean hourly volume so far.
 *   <li>Score = (volume - expected) / sqrt(expected + 1): growth over the usual level in units of
 *       Poisson noise, so a rise from 1 to 3 scores lower than one from 100 to 130. Pairs below
 *       {@code minVolume} are not ranked. The top N per district and city-wide are emitted with the
 *       leading catalogue items and agencies of the pair in that hour.
 *   <li>A corrected final row (a late event within the allowed lateness) replaces the row it
 *       corrects, so it is never counted twice; rankings still to come use the corrected count,
 *       rankings already made stay as they were (the screen shows the latest ranking).
 *   <li>State: per 5-minute window of the last hour, the created count of each count row (dropped
 *       when the window leaves the hour); per pair and local hour of day, the baseline mean; the
 *       end of the last clock hour learnt and of the last ranking. One state write per row.
 *   <li>A heap summary per window (each row's count, and volumes per pair, item and agency) mirrors
 *       the rows, so neither a row nor a ranking reads state; it is rebuilt from the state after a
 *       restore. The hour's sum of them moves along with the rankings: each adds the window that
 *       enters and takes away the one that leaves, instead of adding up twelve windows.
 *   <li>The baselines are mirrored on the heap too (read from the state once after open, written
 *       through to it when an hour is learnt): a ranking looks up every ranked pair's baseline, and
 *       learning visits every known pair, each a RocksDB read or iteration otherwise (on a replay
 *       of a year, a ranking every 5 minutes of event time, most of the ranker's CPU).
 *   <li>Run by a {@link io.citypulse.common.CachingKeyedProcessOperator} (as the job does), the
 *       state is written back before every checkpoint barrier instead of on every change: the rows
 *       and baselines changed since the last barrier, and the two ends. Between two barriers of a
 *       replay most rows come and go (a window leaves the hour an hour of event time after it
 *       came), and every known pair's baselines change every hour, so writing each change through
 *       to RocksDB was half the ranker's CPU on a year's replay. Checkpoints, savepoints and
 *       restores see exactly what the write-through ranker stores (state names unchanged), so
 *       savepoints of either restore into the other.
 * </ul>
 */
public final class HotspotRanker extends KeyedProcessFunction<String, CountRow, HotspotRow>
        implements StateCaching {

    private static final long serialVersionUID = 1L;

    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String ANY_HOUR = "*";
    private static final char SEP = CountFact.SEPARATOR;

    private final String zoneId;
    private final int topN;
    private final long minVolume;
    private final double alpha;

    private transient ZoneId zone;
    // window start ␟ count row key -> created count
    private transient MapState<String, Long> rows;
    // major ␟ district ␟ hour of day (or *) -> [mean, samples]
    private transient MapState<String, double[]> baseline;
    // end of the last clock hour folded into the baseline
    private transient ValueState<Long> learntUntil;
    // end of the last ranking made
    private transient ValueState<Long> rankedUntil;

    /**
     * {@link #rankedUntil}'s value, read once after open: there is one key ("city"), and only a
     * ranking changes it, so the rows need not read it from the state one by one.
     */
    private transient Long rankedEnd;

    private transient boolean rankedEndRead;

    /** The rows' state summed per window start; null until built after open (or a restore). */
    private transient TreeMap<Long, Window> summaries;

    /** {@link #baseline}'s entries; null until read after open (or a restore). */
    private transient Map<String, double[]> baselines;

    /**
     * The summaries of the windows starting in [{@link #hourFrom}, {@link #hourTo}) added up: the
     * last ranking's hour, kept up to date by corrections and moved along by the next ranking (add
     * the windows that enter, take away those that leave) instead of summed anew from twelve
     * windows every 5 minutes. Null until the first ranking after open (or a restore).
     */
    private transient Window hour;

    private transient long hourFrom;
    private transient long hourTo;

    /** Set by {@link #cacheState}: the state is written back by {@link #flush} (null: through). */
    private transient KeyContext writeBack;

    /** The key the state belongs to ("city"), for {@link #flush}. */
    private transient Object owner;

    /** Rows changed since the last flush -> their count, null for one to remove from the state. */
    private transient Map<String, Long> changedRows;

    /** Rows in the state as of the last flush (known once {@link #summaries} is built). */
    private transient Set<String> storedRows;

    /** Baselines changed since the last flush (their values are in {@link #baselines}). */
    private transient Set<String> changedBaselines;

    /** {@link #learntUntil}'s value, read once after open when written back. */
    private transient Long learntEnd;

    private transient boolean learntEndRead;
    private transient boolean endsChanged;

    /** Volumes of one 5-minute window, derived from {@link #rows}. */
    private static final class Window {
        final Map<String, Long> volume = new HashMap<>();
        final Map<String, Map<String, Long>> items = new HashMap<>();
        final Map<String, Map<String, Long>> agencies = new HashMap<>();

        /** State key of each row of the window -> its created count, as in {@link #rows}. */
        final Map<String, Long> rows = new HashMap<>();

        void add(String[] d, long delta) {
            String pair = d[0] + SEP + d[2];
            merge(volume, pair, delta);
            merge(items, pair, d[1], delta);
            if (!d[3].isEmpty()) {
                merge(agencies, pair, d[3], delta);
            }
        }

        /** Adds ({@code sign} 1) or takes away (-1) every volume of {@code other}. */
        void add(Window other, long sign) {
            other.volume.forEach((pair, n) -> merge(volume, pair, sign * n));
            add(other.items, items, sign);
            add(other.agencies, agencies, sign);
        }

        private static void add(
                Map<String, Map<String, Long>> from, Map<String, Map<String, Long>> to, long sign) {
            from.forEach(
                    (pair, counts) -> counts.forEach((name, n) -> merge(to, pair, name, sign * n)));
        }

        private static void merge(
                Map<String, Map<String, Long>> m, String pair, String name, long delta) {
            Map<String, Long> counts = m.computeIfAbsent(pair, k -> new HashMap<>());
            merge(counts, name, delta);
            if (counts.isEmpty()) {
                m.remove(pair);
            }
        }

        private static void merge(Map<String, Long> m, String k, long delta) {
            long v = m.getOrDefault(k, 0L) + delta;
            if (v == 0) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        }
    }

    public HotspotRanker(ZoneId zone, int topN, long minVolume, double alpha) {
        this.zoneId = zone.getId();
        this.topN = topN;
        this.minVolume = minVolume;
        this.alpha = alpha;
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
        rows =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("rows", Types.STRING, Types.LONG));
        learntUntil =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("learnt-until", Types.LONG));
        rankedUntil =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("ranked-until", Types.LONG));
        summaries = null;
        baselines = null;
        rankedEndRead = false;
        learntEndRead = false;
        writeBack = null;
        owner = null;
        changedRows = new HashMap<>();
        storedRows = new HashSet<>();
        changedBaselines = new HashSet<>();
        endsChanged = false;
        baseline =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "baseline",
                                        Types.STRING,
                                        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(CountRow row, Context ctx, Collector<HotspotRow> out)
            throws Exception {
        long created = row.counts[0];
        String stateKey = Long.toString(row.windowStart) + SEP + row.key;
        TreeMap<Long, Window> windows = summaries();
        Window w = windows.get(row.windowStart);
        Long before = w == null ? null : w.rows.get(stateKey);
        long delta = created - (before == null ? 0 : before);
        if (delta == 0) {
            return;
        }
        owner = ctx.getCurrentKey();
        if (created == 0) {
            removeRow(stateKey);
        } else {
            putRow(stateKey, created);
        }
        // A restored operator's watermark starts from the beginning again: without the last
        // ranking's end, a correction arriving before the first watermark would rank its long
        // gone hour once more, from windows already dropped, over the ranking made at the time.
        if (!rankedEndRead) {
            rankedEnd = rankedUntil.value();
            rankedEndRead = true;
        }
        boolean ranked =
                row.windowEnd - 1 <= ctx.timerService().currentWatermark()
                        || (rankedEnd != null && row.windowEnd <= rankedEnd);
        if (w == null) {
            w = new Window();
            windows.put(row.windowStart, w);
        }
        String[] dims = row.dimensions(); // major, code, district, agency, channel
        w.add(dims, delta);
        if (hour != null && hourFrom <= row.windowStart && row.windowStart < hourTo) {
            hour.add(dims, delta);
        }
        if (created == 0) {
            w.rows.remove(stateKey);
        } else {
            w.rows.put(stateKey, created);
        }
        if (!ranked) {
            ctx.timerService().registerEventTimeTimer(row.windowEnd - 1);
        }
    }

    /** Builds the per-window summaries from the rows' state (after open or a restore). */
    private TreeMap<Long, Window> summaries() throws Exception {
        if (summaries == null) {
            TreeMap<Long, Window> built = new TreeMap<>();
            for (Map.Entry<String, Long> e : rows.entries()) {
                String stateKey = e.getKey();
                int sep = stateKey.indexOf(SEP);
                long start = Long.parseLong(stateKey.substring(0, sep));
                Window w = built.computeIfAbsent(start, k -> new Window());
                w.add(CountFact.dimensions(stateKey.substring(sep + 1)), e.getValue());
                w.rows.put(stateKey, e.getValue());
                if (writeBack != null) {
                    storedRows.add(stateKey);
                }
            }
            summaries = built;
            hour = null;
        }
        return summaries;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotspotRow> out)
            throws Exception {
        long end = timestamp + 1;
        long from = end - HOUR;
        owner = ctx.getCurrentKey();
        if (writeBack == null) {
            rankedUntil.update(end);
        } else {
            endsChanged = true;
        }
        rankedEnd = end;
        rankedEndRead = true;
        TreeMap<Long, Window> windows = summaries();
        moveHour(windows, from, end);
        Map<String, Long> volume = hour.volume;
        Map<String, Map<String, Long>> items = hour.items;
        Map<String, Map<String, Long>> agencies = hour.agencies;

        int hourOfDay = Instant.ofEpochMilli(end - HOUR / 2).atZone(zone).getHour();
        List<HotspotRow> ranked = new ArrayList<>();
        for (Map.Entry<String, Long> e : volume.entrySet()) {
            if (e.getValue() < minVolume) {
                continue;
            }
            int sep = e.getKey().indexOf(SEP);
            double expected = expected(e.getKey(), hourOfDay);
            HotspotRow r = new HotspotRow();
            r.windowEnd = end;
            r.categoryMajor = e.getKey().substring(0, sep);
            r.district = e.getKey().substring(sep + 1);
            r.volume = e.getValue();
            r.expected = expected;
            r.growth = (r.volume + 1.0) / (expected + 1.0);
            r.score = (r.volume - expected) / Math.sqrt(expected + 1.0);
            r.topItems = top(items.get(e.getKey()));
            r.topAgencies = top(agencies.get(e.getKey()));
            ranked.add(r);
        }
        Comparator<HotspotRow> order =
                Comparator.comparingDouble((HotspotRow r) -> -r.score)
                        .thenComparingLong(r -> -r.volume)
                        .thenComparing(r -> r.categoryMajor)
                        .thenComparing(r -> r.district);
        ranked.sort(order);
        long version = System.currentTimeMillis();
        emit(ranked, "city", version, out);
        Map<String, List<HotspotRow>> byDistrict =
                ranked.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.district, TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<HotspotRow>> e : byDistrict.entrySet()) {
            emit(e.getValue(), e.getKey(), version, out);
        }

        Long learnt = learntEnd();
        if (Math.floorMod(end - localOffset(end), HOUR) == 0 && (learnt == null || learnt < end)) {
            // A local clock hour just ended: it becomes history for its hour of day.
            learn(volume, Instant.ofEpochMilli(from).atZone(zone).getHour());
            learntEnd = end;
            if (writeBack == null) {
                learntUntil.update(end);
            }
        }
        // Windows that are not part of the next ranking's hour.
        Map<Long, Window> expired = windows.headMap(from + FIVE_MINUTES, false);
        for (Map.Entry<Long, Window> e : expired.entrySet()) {
            if (hourFrom <= e.getKey() && e.getKey() < hourTo) {
                hour.add(e.getValue(), -1);
            }
            for (String key : e.getValue().rows.keySet()) {
                removeRow(key);
            }
        }
        expired.clear();
        hourFrom = Math.max(hourFrom, from + FIVE_MINUTES);
        hourTo = Math.max(hourTo, hourFrom);
    }

    /**
     * Makes {@link #hour} the sum of the windows starting in [from, end): takes away the windows
     * before {@code from}, adds those from the last hour's end on. Rankings come in time order, so
     * the new hour overlaps the last one or follows it; otherwise it is summed anew.
     */
    private void moveHour(TreeMap<Long, Window> windows, long from, long end) {
        if (hour == null || from < hourFrom || end < hourTo || from >= hourTo) {
            hour = new Window();
            hourFrom = from;
            hourTo = from;
        }
        for (Window w : windows.subMap(hourFrom, true, from, false).values()) {
            hour.add(w, -1);
        }
        for (Window w : windows.subMap(hourTo, true, end, false).values()) {
            hour.add(w, 1);
        }
        hourFrom = from;
        hourTo = end;
    }

    private long localOffset(long t) {
        return -zone.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
    }

    private double expected(String pair, int hourOfDay) throws Exception {
        Map<String, double[]> known = baselines();
        double[] sameHour = known.get(pair + SEP + hourOfDay);
        if (sameHour != null && sameHour[1] > 0) {
            return sameHour[0];
        }
        double[] anyHour = known.get(pair + SEP + ANY_HOUR);
        return anyHour == null ? 0.0 : anyHour[0];
    }

    /** {@link #baselines}, read from the state on first use after open (or a restore). */
    private Map<String, double[]> baselines() throws Exception {
        if (baselines == null) {
            Map<String, double[]> read = new HashMap<>();
            for (Map.Entry<String, double[]> e : baseline.entries()) {
                read.put(e.getKey(), e.getValue());
            }
            baselines = read;
        }
        return baselines;
    }

    /** Updates the baselines with one clock hour's volumes (zero for known pairs not seen). */
    private void learn(Map<String, Long> hourVolume, int hourOfDay) throws Exception {
        Map<String, double[]> known = baselines();
        Map<String, Long> all = new HashMap<>(hourVolume);
        for (String key : known.keySet()) {
            if (key.endsWith(SEP + ANY_HOUR)) {
                all.putIfAbsent(key.substring(0, key.length() - 2), 0L);
            }
        }
        for (Map.Entry<String, Long> e : all.entrySet()) {
            String sameHour = e.getKey() + SEP + hourOfDay;
            double[] b = known.get(sameHour);
            put(
                    sameHour,
                    b == null
                            ? new double[] {e.getValue(), 1}
                            : new double[] {b[0] + alpha * (e.getValue() - b[0]), b[1] + 1});
            // The any-hour mean is a plain running mean over every hour seen so far.
            String anyHour = e.getKey() + SEP + ANY_HOUR;
            double[] any = known.get(anyHour);
            double n = any == null ? 0 : any[1];
            double mean = any == null ? 0 : any[0];
            put(anyHour, new double[] {mean + (e.getValue() - mean) / (n + 1), n + 1});
        }
    }

    /** Writes a baseline through to the state (or marks it changed); arrays are never changed. */
    private void put(String key, double[] value) throws Exception {
        if (writeBack == null) {
            baseline.put(key, value);
        } else {
            changedBaselines.add(key);
        }
        baselines.put(key, value);
    }

    private void putRow(String key, long created) throws Exception {
        if (writeBack == null) {
            rows.put(key, created);
        } else {
            changedRows.put(key, created);
        }
    }

    private void removeRow(String key) throws Exception {
        if (writeBack == null) {
            rows.remove(key);
        } else if (storedRows.contains(key)) {
            changedRows.put(key, null);
        } else {
            // Came and went since the last flush: the state never saw it.
            changedRows.remove(key);
        }
    }

    /** {@link #learntUntil}'s value; read from the state once after open when written back. */
    private Long learntEnd() throws Exception {
        if (writeBack == null) {
            return learntUntil.value();
        }
        if (!learntEndRead) {
            learntEnd = learntUntil.value();
            learntEndRead = true;
        }
        return learntEnd;
    }

    @Override
    public void cacheState(KeyContext keys, int maxKeys) {
        writeBack = keys;
    }

    @Override
    public void flush() throws IOException {
        if (writeBack == null
                || (changedRows.isEmpty() && changedBaselines.isEmpty() && !endsChanged)) {
            return;
        }
        writeBack.setCurrentKey(owner);
        try {
            for (Map.Entry<String, Long> e : changedRows.entrySet()) {
                if (e.getValue() != null) {
                    rows.put(e.getKey(), e.getValue());
                    storedRows.add(e.getKey());
                } else {
                    rows.remove(e.getKey());
                    storedRows.remove(e.getKey());
                }
            }
            for (String key : changedBaselines) {
                baseline.put(key, baselines.get(key));
            }
            if (endsChanged) {
                rankedUntil.update(rankedEnd);
                if (learntEndRead) {
                    learntUntil.update(learntEnd);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not write the ranker's state back", e);
        }
        changedRows.clear();
        changedBaselines.clear();
        endsChanged = false;
    }

    private void emit(
            List<HotspotRow> ranked, String scope, long version, Collector<HotspotRow> out) {
        for (int i = 0; i < Math.min(topN, ranked.size()); i++) {
            HotspotRow src = ranked.get(i);
            HotspotRow r = new HotspotRow();
            r.windowEnd = src.windowEnd;
            r.scope = scope;
            r.rank = i + 1;
            r.categoryMajor = src.categoryMajor;
            r.district = src.district;
            r.volume = src.volume;
            r.expected = src.expected;
            r.growth = src.growth;
            r.score = src.score;
            r.topItems = src.topItems;
            r.topAgencies = src.topAgencies;
            r.version = version;
            out.collect(r);
        }
    }

    /**
     * The three largest entries as {@code NAME:count, ...}, largest first, ties by name. One pass
     * keeping the best three (a ranking asks this of every pair, twice).
     */
    static String top(Map<String, Long> counts) {
        if (counts == null) {
            return "";
        }
        String[] names = new String[3];
        long[] values = new long[3];
        int kept = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            String name = e.getKey();
            long value = e.getValue();
            int at = kept;
            while (at > 0
                    && (value > values[at - 1]
                            || (value == values[at - 1] && name.compareTo(names[at - 1]) < 0))) {
                at--;
            }
            if (at == 3) {
                continue;
            }
            int last = Math.min(kept, 2);
            for (int i = last; i > at; i--) {
                names[i] = names[i - 1];
                values[i] = values[i - 1];
            }
            names[at] = name;
            values[at] = value;
            kept = Math.min(kept + 1, 3);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kept; i++) {
            b.append(i == 0 ? "" : ", ").append(names[i]).append(':').append(values[i]);
        }
        return b.toString();
    }

    /**
     * The rows the ranker reads: final 5-minute counts with CREATED tickets. The rest change
     * nothing and are dropped before the shuffle to the ranker's single subtask (most rows: a
     * ticket's later steps carry its agency, so they count under keys that never see a CREATED).
     * Counts only grow, so a row with no CREATED never corrects one that had some.
     */
    public static boolean accepts(CountRow row) {
        return row.isFinal && row.granularity == Granularity.FIVE_MINUTES && row.counts[0] > 0;
    }
}
