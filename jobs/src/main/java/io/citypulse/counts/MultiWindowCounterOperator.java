package io.citypulse.counts;

import io.citypulse.common.EventTimeIndex;
import io.citypulse.common.WriteBackCache;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs a {@link MultiWindowCounter} with a write-back cache of its state and with event-time timers
 * of its own.
 *
 * <ul>
 *   <li>The cache ({@link io.citypulse.common.WriteBackCache}): the counter reads and rewrites a
 *       key's windows on every event, so on RocksDB most of its time went to deserialising and
 *       serialising the same values again. The cache is written back before every checkpoint
 *       barrier, so checkpoints, savepoints and restores see exactly what the plain {@code
 *       process(counter)} would have stored.
 *   <li>The timers: nearly every event opens a 5-minute window of its key, and each window's
 *       closing timer in Flink's RocksDB timer queue cost a write on registering and a read, a
 *       delete and a key switch on firing: after the cache, the counter's largest cost. Here they
 *       are an {@link EventTimeIndex} on the heap, fired when a watermark passes them, in time
 *       order, before the watermark goes on downstream (as Flink fires its own). The key's windows
 *       say whether a new window's time is pending already, so it is appended to the index without
 *       the index's look-up (a window's end is shared by thousands of keys; setting timers through
 *       that look-up was 24% of the counting thread's samples in a profile of a 90-day replay).
 *       Each timer holds its key's handle in the cache ({@link
 *       io.citypulse.common.WriteBackCache.Handle}), so a window that closes finds the key's
 *       windows without a look-up while the key stays cached.
 *   <li>The index is not snapshotted: the windows in the state say which timers are due. On restore
 *       every key's windows register their timers again, those after the watermark the operator had
 *       reached at the snapshot (kept in operator state; the lowest of all subtasks' after a
 *       rescale). A window whose final row was published before the snapshot is therefore not
 *       published again, and one still open is.
 * </ul>
 *
 * <p>With no cache ({@code cacheKeys} 0) the state is read and written in the state backend and the
 * timers are Flink's, as a plain {@code process(counter)} would have them, except on restore: every
 * key's windows then set their timers after the restored watermark again, in Flink's timer service
 * (which holds a (time, key) once). So a savepoint taken with the cache, whose timers were on the
 * heap, restores without one and still closes its windows. State names and the uid are those of the
 * plain {@code process(counter)}, so savepoints of either restore into the other, and into any
 * cache size.
 *
 * <p>Heap use: one entry per (key, pending window end), like Flink's heap timers, which a snapshot
 * would have to write in full.
 */
public final class MultiWindowCounterOperator
        extends KeyedProcessOperator<String, CountFact, CountRow> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /** The timers, each holding its key's handle in the state's cache (the key, in effect). */
    private transient EventTimeIndex<WriteBackCache.Handle> timers;

    private transient long watermark;
    private transient long restoredWatermark;
    private transient boolean restored;
    private transient ListState<Long> watermarkState;
    private transient TimestampedCollector<CountRow> timerOutput;

    /**
     * @param counter the counter to run
     * @param cacheKeys keys whose windows stay on the heap between checkpoints (per subtask); 0: no
     *     cache, and the timers are Flink's
     */
    public MultiWindowCounterOperator(MultiWindowCounter counter, int cacheKeys) {
        super(counter);
        this.cacheKeys = cacheKeys == 0 ? 0 : WriteBackCache.requireMaxKeys(cacheKeys);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("counter-watermark", Types.LONG));
        restored = context.isRestored();
        restoredWatermark = Long.MIN_VALUE;
        if (restored) {
            long lowest = Long.MAX_VALUE;
            for (Long w : watermarkState.get()) {
                lowest = Math.min(lowest, w);
            }
            // None recorded (a snapshot of an older version): every window's timers again.
            restoredWatermark = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = new EventTimeIndex<>();
        watermark = restoredWatermark;
        timerOutput = new TimestampedCollector<>(output);
        MultiWindowCounter counter = counter();
        // Where the timers set again on restore go (for the current key, each (time, key) once).
        LongConsumer timer;
        if (cacheKeys > 0) {
            counter.cacheState(this, cacheKeys);
            counter.timeEventsWith(
                    new MultiWindowCounter.OwnTimers() {
                        @Override
                        public long firedUpTo() {
                            return watermark;
                        }

                        @Override
                        public void register(long time) {
                            timers.register(time, counter.handle());
                        }

                        @Override
                        public void append(long time) {
                            timers.append(time, counter.handle());
                        }
                    });
            // Before the key is cached: a handle that only names it.
            timer = time -> timers.append(time, WriteBackCache.detached(getCurrentKey()));
        } else {
            // The timer service KeyedProcessOperator.open() created for the function.
            var flinkTimers =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            timer = time -> flinkTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        }
        if (restored) {
            // Each key once, and each of its times once: appended without the index's look-up.
            this.<String>getKeyedStateBackend()
                    .applyToAllKeys(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            counter.windowsDescriptor(),
                            (String key, ValueState<long[]> windows) -> {
                                long[] state = windows.value();
                                if (state != null) {
                                    Set<Long> times = new HashSet<>();
                                    counter.pendingTimers(
                                            state,
                                            restoredWatermark,
                                            time -> {
                                                if (times.add(time)) {
                                                    timer.accept(time);
                                                }
                                            });
                                }
                            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long now = mark.getTimestamp();
        MultiWindowCounter counter = counter();
        // A key still cached is not made the current key (on RocksDB a switch serialises it):
        // the counter's windows are found through the timer's handle, and its rows name the key.
        timers.fireDue(
                now,
                (time, handle) -> {
                    timerOutput.setAbsoluteTimestamp(time);
                    if (counter.pin(handle)) {
                        try {
                            counter.onEventTime(time, (String) handle.key(), timerOutput);
                        } finally {
                            counter.unpin();
                        }
                    } else {
                        setCurrentKey(handle.key());
                        counter.resume(handle);
                        counter.onEventTime(time, (String) handle.key(), timerOutput);
                    }
                });
        watermark = Math.max(watermark, now);
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        counter().flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkState.update(List.of(watermark));
    }

    /** Event-time timers waiting in this operator's own index (for tests). */
    int pendingEventTimers() {
        return timers.size();
    }

    private MultiWindowCounter counter() {
        return (MultiWindowCounter) userFunction;
    }
}
