package io.citypulse.counts;

import io.citypulse.common.WriteBackCache;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Counts events per dimension key in 5-minute, hourly and daily event-time windows at once, with
 * live partial results and allowed lateness.
 *
 * <ul>
 *   <li>Input: {@link CountFact}s keyed by {@link CountFact#key}; each adds one to the measures
 *       whose bits it sets.
 *   <li>State per key: one {@code long[]} holding the pending partial-result timer and, for every
 *       open window of every granularity, its bounds, counts, a dirty flag and the last version. A
 *       window's entry exists from its first event until the watermark passes its end plus the
 *       allowed lateness. One state read and one write per event (three map states, one per
 *       granularity, cost six; this operator sees every accepted event).
 *   <li>Timers per key: one at the end of each window and one at the day's end plus the allowed
 *       lateness; every event-time timer drops the windows whose lateness has passed.
 *   <li>Output: {@link CountRow}s. A final row when the watermark passes the window end; a final
 *       row again for every update by a late event within the allowed lateness; and, while the
 *       window is open, a partial row at most every {@code partialEvery} of processing time when
 *       the window changed (so "today so far" on a big screen is seconds behind, not a day).
 *       Partial rows are for windows that are open on the wall clock too (ending less than {@code
 *       partialEvery} ago): a replay of history, where every window is long over and its final row
 *       follows as soon as the watermark passes, would otherwise write several partial rows per
 *       window that nobody can watch.
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
    private transient WindowClock clock;
    private transient ValueState<long[]> windows;
    private transient Granularity[] granularities;

    /** Where the entries start in a key's windows on the heap ({@link #LATEST} + granularities). */
    private transient int header;

    /** Scratch of {@link #onEventTime}: the entries with a row to publish, in index order. */
    private transient int[] due;

    /** The state's write-back cache while run by a {@link MultiWindowCounterOperator}, or null. */
    private transient WriteBackCache<long[], long[]> cache;

    /**
     * Where the current key's event-time timers go while run by a {@link
     * MultiWindowCounterOperator} (its own timers), or null: Flink's timer service.
     */
    private transient OwnTimers eventTimers;

    /** The event-time timers of a {@link MultiWindowCounterOperator}, for the current key. */
    interface OwnTimers {

        /** The watermark up to which every timer has fired. */
        long firedUpTo();

        /** Sets a timer, unless the current key already has one at {@code time}. */
        void register(long time);

        /**
         * Sets a timer the current key does not have yet (after {@link #firedUpTo()}), without
         * looking for it.
         */
        void append(long time);
    }

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
        clock = new WindowClock(zone);
        granularities = Granularity.values();
        windows = getRuntimeContext().getState(windowsDescriptor());
        header = LATEST + granularities.length;
        due = new int[16];
    }

    /** The keyed state of a key's open windows. */
    ValueStateDescriptor<long[]> windowsDescriptor() {
        return new ValueStateDescriptor<>(
                "windows", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /**
     * Puts a write-back cache of {@code maxKeys} keys in front of the state; from then on the
     * operator must call {@link #flush()} before every checkpoint barrier.
     */
    void cacheState(KeyContext keys, int maxKeys) {
        cache = WriteBackCache.decoding(keys, windows, maxKeys, this::onHeap, this::stored);
    }

    /**
     * Sends the current key's event-time timers to {@code timers} instead of Flink's timer service;
     * the operator then fires them through {@link #onEventTime}.
     */
    void timeEventsWith(OwnTimers timers) {
        eventTimers = timers;
    }

    /**
     * The current key's handle in the state's cache, which the operator's own timers hold instead
     * of the key: it has been read by then, so it is cached.
     */
    WriteBackCache.Handle handle() {
        return cache.handle();
    }

    /**
     * A timer of the operator's own that holds {@code handle} fires, its key already the current
     * key: the windows are then found without a look-up while the key stays cached.
     */
    void resume(WriteBackCache.Handle handle) {
        cache.resume(handle);
    }

    /**
     * A timer of the operator's own that holds {@code handle} fires, its key not made the current
     * key: true if the key is still cached, and then {@link #onEventTime} works on its windows
     * until {@link #unpin()} ({@link WriteBackCache#pin}); false if it is not, and the operator
     * must make it the current key and {@link #resume} it.
     */
    boolean pin(WriteBackCache.Handle handle) {
        return cache.pin(handle);
    }

    void unpin() {
        cache.unpin();
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    void flush() throws IOException {
        if (cache != null) {
            cache.flush();
        }
    }

    /** The current key's windows in the heap layout, or null. */
    private long[] load() throws IOException {
        if (cache != null) {
            return cache.value();
        }
        long[] stored = windows.value();
        return stored == null ? null : onHeap(stored);
    }

    // Layout of the state: [0] = pending partial timer (0: none), then one entry per open window:
    // granularity ordinal, start, end, counts[0..measures-1], dirty flag, last version.
    //
    // On the heap (in the write-back cache, and while a key is worked on without one) the header
    // is longer: [FREE] = the first DEAD entry (0: none) and [LATEST + g] = the entry of
    // granularity g's latest window, the live one with the greatest start (0: none). An expired
    // window's entry is marked DEAD, chained to the next one through its START, and reused by the
    // key's next new window, instead of the array being copied twice per window (grown, then
    // shrunk). The latest window answers most look-ups without a walk over the key's entries: an
    // event in order falls into it or after it, and the windows of one granularity never overlap,
    // so after it no window holds the event (CounterBenchmark over 2,000 keys: 8-10% more facts
    // a second; level over 20,000 keys and on the year: README, What the changes bought).
    // The state only ever holds the stored layout (onHeap() and stored() convert), so savepoints
    // are as they were.
    private static final int TIMER = 0;
    private static final long DEAD = -1;
    private static final int STORED_HEADER = 1;
    private static final int FREE = 1;
    private static final int LATEST = 2;
    private static final int G = 0;
    private static final int START = 1;
    private static final int END = 2;
    private static final int COUNTS = 3;

    private int entrySize() {
        return COUNTS + measures + 2;
    }

    private int dirty(int entry) {
        return entry + COUNTS + measures;
    }

    private int version(int entry) {
        return entry + COUNTS + measures + 1;
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
        long[] state = load();
        if (state == null) {
            state = new long[header];
        }
        int size = entrySize();
        long now = ctx.timerService().currentProcessingTime();
        boolean anyOpenChanged = false;
        for (Granularity g : granularities) {
            int entry = holding(state, g.ordinal(), t);
            if (entry < 0) {
                long start = clock.start(g, t);
                long end = clock.end(g, start);
                entry = (int) state[FREE];
                if (entry != 0) {
                    state[FREE] = state[entry + START];
                    Arrays.fill(state, entry, entry + size, 0L);
                } else {
                    entry = state.length;
                    state = Arrays.copyOf(state, state.length + size);
                }
                state[entry + G] = g.ordinal();
                state[entry + START] = start;
                state[entry + END] = end;
                int latest = (int) state[LATEST + g.ordinal()];
                if (latest == 0 || start > state[latest + START]) {
                    state[LATEST + g.ordinal()] = entry;
                }
                long[] opened = state;
                int at = entry;
                timers(g, start, end, Long.MIN_VALUE, time -> setTimer(ctx, opened, at, time));
            }
            int counts = entry + COUNTS;
            for (int m = 0; m < measures; m++) {
                if ((fact.measures & (1 << m)) != 0) {
                    state[counts + m]++;
                }
            }
            if (watermark >= state[entry + END] - 1) {
                // A late event within the allowed lateness: the window was already final, so
                // publish the corrected final row now.
                out.collect(row(state, entry, ctx.getCurrentKey(), true));
                state[dirty(entry)] = 0;
            } else {
                state[dirty(entry)] = 1;
                anyOpenChanged |= live(state[entry + END], now);
            }
        }
        if (anyOpenChanged && partialEveryMs > 0 && state[TIMER] == 0) {
            long at = now + partialEveryMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            state[TIMER] = at;
        }
        store(state);
    }

    /**
     * The event-time timers a window of granularity {@code g} sets when it opens, those after
     * {@code watermark}. Final emission when the window ends. Clean-up when its lateness has
     * passed: any event-time timer drops every expired window, and the day holding the 5-minute and
     * hourly windows expires last, so only its clean-up needs a timer (and a window reaching past
     * that day, which no real zone offset makes).
     */
    private void timers(Granularity g, long start, long end, long watermark, LongConsumer timer) {
        if (end - 1 > watermark) {
            timer.accept(end - 1);
        }
        // Without lateness the clean-up is the close.
        if (latenessMs > 0 && cleansUp(g, start, end) && end - 1 + latenessMs > watermark) {
            timer.accept(end - 1 + latenessMs);
        }
    }

    /** Whether a window sets a clean-up timer besides its closing one (see {@link #timers}). */
    private boolean cleansUp(Granularity g, long start, long end) {
        return g == Granularity.DAY
                || end > clock.end(Granularity.DAY, clock.start(Granularity.DAY, start));
    }

    /**
     * The event-time timers still due for the windows in {@code state} once the watermark is {@code
     * watermark}: what the operator's own timers need again after a restore, as they are not part
     * of a snapshot.
     */
    void pendingTimers(long[] state, long watermark, LongConsumer timer) {
        for (int e = STORED_HEADER; e < state.length; e += entrySize()) {
            timers(
                    granularities[(int) state[e + G]],
                    state[e + START],
                    state[e + END],
                    watermark,
                    timer);
        }
    }

    /**
     * Sets a timer of the window just opened at {@code entry} of {@code state}. Flink's timer
     * service holds a (time, key) once. With the operator's own timers, a time after the watermark
     * they fired up to that another window of the key sets too (a 5-minute window ending with its
     * hour, a day's clean-up and the next day's window ending then) is pending already, and any
     * other such time is new: appended without the index's look-up. A time at or behind it (a late
     * event opening a window) goes through the look-up.
     */
    private void setTimer(Context ctx, long[] state, int entry, long time) {
        if (eventTimers == null) {
            ctx.timerService().registerEventTimeTimer(time);
        } else if (time <= eventTimers.firedUpTo()) {
            eventTimers.register(time);
        } else if (!setByAnother(state, entry, time)) {
            eventTimers.append(time);
        }
    }

    /**
     * Whether a live window of {@code state} other than {@code entry} sets a timer at {@code time}:
     * closes then, or cleans up then. The windows of a granularity partition time, so at most one
     * of each can do either, and the clock says which one; {@link #holding} then finds it, mostly
     * as the granularity's latest window, without a walk over the key's windows.
     */
    private boolean setByAnother(long[] state, int entry, long time) {
        for (Granularity g : granularities) {
            if (lastInstant(state, g, time, entry, false)
                    || (latenessMs > 0 && lastInstant(state, g, time - latenessMs, entry, true))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a live window of granularity {@code g} other than {@code entry} ends right after
     * {@code last} and, if {@code cleanUp}, sets a clean-up timer ({@link #cleansUp}).
     */
    private boolean lastInstant(
            long[] state, Granularity g, long last, int entry, boolean cleanUp) {
        long start = clock.start(g, last);
        long end = clock.end(g, start);
        if (end - 1 != last || (cleanUp && !cleansUp(g, start, end))) {
            return false;
        }
        int e = holding(state, g.ordinal(), last);
        return e >= 0 && e != entry;
    }

    /** Whether a window ending at {@code end} is still open on the wall clock, give or take. */
    private boolean live(long end, long now) {
        return end > now - partialEveryMs;
    }

    /** The entry of the window of granularity {@code g} that holds {@code t}, or -1. */
    private int holding(long[] state, int g, long t) {
        int latest = (int) state[LATEST + g];
        if (latest == 0 || t >= state[latest + END]) {
            return -1; // every window of g ends by the latest's end
        }
        if (t >= state[latest + START]) {
            return latest;
        }
        // Before the latest window: an event out of order.
        int size = entrySize();
        for (int e = header; e < state.length; e += size) {
            if (state[e + G] == g && state[e + START] <= t && t < state[e + END]) {
                return e;
            }
        }
        return -1;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CountRow> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            onEventTime(timestamp, ctx.getCurrentKey(), out);
            return;
        }
        long[] state = load();
        if (state == null) {
            return;
        }
        String key = ctx.getCurrentKey();
        state[TIMER] = 0;
        long watermark = ctx.timerService().currentWatermark();
        for (int e = header; e < state.length; e += entrySize()) {
            if (state[dirty(e)] == 1
                    && watermark < state[e + END] - 1
                    && live(state[e + END], timestamp)) {
                out.collect(row(state, e, key, false));
                state[dirty(e)] = 0;
            }
        }
        store(state);
    }

    /**
     * An event-time timer of the current key ({@code key}) at {@code timestamp}: final rows of the
     * windows ending now, and of expiring windows changed since their last final row; expired
     * windows dropped.
     */
    void onEventTime(long timestamp, String key, Collector<CountRow> out) throws IOException {
        long[] state = load();
        if (state == null) {
            return;
        }
        int size = entrySize();
        // One pass: expired windows without a row to publish are dropped, the windows with one
        // noted; then their rows in granularity order (5m, 1h, 1d), as the rows of one instant
        // always were.
        int rows = 0;
        for (int e = header; e < state.length; e += size) {
            if (state[e + G] == DEAD) {
                continue;
            }
            long end = state[e + END];
            boolean expires = timestamp >= end - 1 + latenessMs;
            if (timestamp == end - 1 || (expires && state[dirty(e)] == 1)) {
                if (rows == due.length) {
                    due = Arrays.copyOf(due, rows * 2);
                }
                due[rows++] = e;
            } else if (expires) {
                expire(state, e);
            }
        }
        for (Granularity g : granularities) {
            for (int i = 0; i < rows; i++) {
                int e = due[i];
                if (state[e + G] != g.ordinal()) {
                    continue;
                }
                out.collect(row(state, e, key, true));
                state[dirty(e)] = 0;
                if (timestamp >= state[e + END] - 1 + latenessMs) {
                    expire(state, e);
                }
            }
        }
        store(state);
    }

    /**
     * Marks the window at {@code entry} expired and chains it to the free entries. If it was its
     * granularity's latest window, the granularity has none left: a window expires once the
     * watermark passes its end plus the lateness, and no other window of its granularity ends
     * later, so they all expire in the same timer.
     */
    private void expire(long[] state, int entry) {
        int g = (int) state[entry + G];
        state[entry + G] = DEAD;
        state[entry + START] = state[FREE];
        state[FREE] = entry;
        if (state[LATEST + g] == entry) {
            state[LATEST + g] = 0;
        }
    }

    private void store(long[] state) throws IOException {
        long[] kept = state[TIMER] == 0 && !live(state) ? null : state;
        if (cache != null) {
            cache.update(kept);
        } else if (kept == null) {
            windows.clear();
        } else {
            windows.update(stored(kept));
        }
    }

    /** Whether {@code state} (the heap layout) holds a window that has not expired. */
    private boolean live(long[] state) {
        for (int g = 0; g < granularities.length; g++) {
            if (state[LATEST + g] != 0) {
                return true;
            }
        }
        return false;
    }

    /** The stored layout of {@code state} (a new array): its header and its live windows. */
    long[] stored(long[] state) {
        int size = entrySize();
        int live = 0;
        for (int e = header; e < state.length; e += size) {
            if (state[e + G] != DEAD) {
                live++;
            }
        }
        long[] stored = new long[STORED_HEADER + live * size];
        stored[TIMER] = state[TIMER];
        int to = STORED_HEADER;
        for (int e = header; e < state.length; e += size) {
            if (state[e + G] != DEAD) {
                System.arraycopy(state, e, stored, to, size);
                to += size;
            }
        }
        return stored;
    }

    /** The heap layout of {@code stored} (a new array), every window live. */
    long[] onHeap(long[] stored) {
        int size = entrySize();
        long[] state = new long[header + stored.length - STORED_HEADER];
        state[TIMER] = stored[TIMER];
        System.arraycopy(stored, STORED_HEADER, state, header, stored.length - STORED_HEADER);
        for (int e = header; e < state.length; e += size) {
            int g = (int) state[e + G];
            int latest = (int) state[LATEST + g];
            if (latest == 0 || state[e + START] > state[latest + START]) {
                state[LATEST + g] = e;
            }
        }
        return state;
    }

    private CountRow row(long[] state, int entry, String key, boolean isFinal) {
        // Strictly increasing per window, whatever the clock does; final rows outrank partial.
        long sequence = Math.max(System.currentTimeMillis(), state[version(entry)] + 1);
        state[version(entry)] = sequence;
        long[] counts = Arrays.copyOfRange(state, entry + COUNTS, entry + COUNTS + measures);
        return new CountRow(
                granularities[(int) state[entry + G]],
                state[entry + START],
                state[entry + END],
                key,
                counts,
                isFinal,
                isFinal ? sequence | FINAL_BIT : sequence);
    }
}
