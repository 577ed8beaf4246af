package io.citypulse.gate;

import io.citypulse.common.EventTimeIndex;
import io.citypulse.common.WriteBackCache;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs a {@link LifecycleGate} with a write-back cache of its entity state and with event-time
 * timers of its own; or, with no cache ({@code cacheKeys} 0), with its state and timers in the
 * state backend as a plain {@code process(gate)} would, except on restore (below).
 *
 * <ul>
 *   <li>The cache ({@link io.citypulse.common.WriteBackCache}), written back before every
 *       checkpoint barrier, as in a {@link io.citypulse.common.CachingKeyedProcessOperator}. It
 *       knows which entities the state holds (those it wrote, and on restore every one in the
 *       state), so the first event of a new ticket or lead, most of them, does not read RocksDB for
 *       an entity that is not there.
 *   <li>The timers: every ticket and lead sets a clean-up timer, and a replay fires them all. In
 *       Flink's RocksDB timer queue each costs a write when set and a read, a delete and a key
 *       switch when it fires: in a profile of a 90-day replay, with the read of the entity it
 *       clears, 45% of the gate thread's samples went to firing them. Here they are an {@link
 *       EventTimeIndex} on the heap, fired when a watermark passes them, in time order, before the
 *       watermark goes on downstream (as Flink fires its own).
 *   <li>The clean-up timers are an index of their own ({@link EventTimeIndex#bucketed()}: a time
 *       weeks ahead is set and deleted in its bucket's hash map), one entry per entity, moved (a
 *       delete and an insert) whenever an event moves the entity's clean-up time. So each fires
 *       once, at the clean-up time, and clears the entity without reading it back. With Flink's
 *       timers the plain gate's one clean-up timer fires early and re-arms (one read), then fires
 *       at the clean-up time (another read); in a replay the entity was long evicted from the
 *       cache, so both reads went to RocksDB. They fire after the timers of the waiting events,
 *       which are all earlier than their entity's clean-up time (by the retention at least), so
 *       nothing waits by then.
 *   <li>The index is not snapshotted: the entity state says which timers are due (its clean-up
 *       time, and the time of each event waiting for its birth). On restore every entity sets them
 *       again; those already behind the watermark fire at the first one, and firing twice decides
 *       nothing twice (the events a timer decides leave the waiting list; the state a clean-up
 *       clears is gone). So a savepoint of the plain gate, whose timers are in Flink's queue,
 *       restores too: those fire as well, through {@link LifecycleGate#onTimer}, harmlessly.
 *   <li>Without a cache the timers are Flink's, and on restore every entity sets them again in
 *       Flink's timer service (which holds a (time, entity) once): a savepoint taken with the
 *       cache, whose timers were on the heap, restores without one and still forgets its entities
 *       and decides its waiting steps.
 *   <li>State names and the operator's uid are those of the plain {@code process(gate)}, so
 *       savepoints of either restore into the other, and into any cache size.
 * </ul>
 *
 * <p>Heap use: one entry per pending (time, entity), like Flink's heap timers (about 400,000 for a
 * Shenzhen-size city's 30 days of retention), which unlike these a snapshot would write in full.
 */
public final class LifecycleGateOperator<E> extends KeyedProcessOperator<String, E, E> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    private transient EventTimeIndex<String> timers;
    private transient EventTimeIndex<String> cleanups;
    private transient boolean restored;
    private transient TimestampedCollector<E> timerOutput;

    /**
     * @param gate the gate to run
     * @param cacheKeys entities whose state stays on the heap between checkpoints (per subtask); 0:
     *     no cache, and the timers are Flink's
     */
    public LifecycleGateOperator(LifecycleGate<E> gate, int cacheKeys) {
        super(gate);
        this.cacheKeys = cacheKeys == 0 ? 0 : WriteBackCache.requireMaxKeys(cacheKeys);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = new EventTimeIndex<>();
        cleanups = EventTimeIndex.bucketed();
        timerOutput = new TimestampedCollector<>(output);
        LifecycleGate<E> gate = gate();
        // Where the timers go, also those set again on restore (for the current key).
        LongConsumer timer;
        LongConsumer cleanup;
        if (cacheKeys > 0) {
            gate.cacheState(this, cacheKeys);
            gate.knowStoredEntities();
            timer = time -> timers.register(time, (String) getCurrentKey());
            cleanup = time -> cleanups.register(time, (String) getCurrentKey());
            gate.timeEventsWith(
                    timer,
                    (from, to) -> {
                        String key = (String) getCurrentKey();
                        if (from != Long.MIN_VALUE) {
                            cleanups.delete(from, key);
                        }
                        cleanups.register(to, key);
                    });
        } else {
            // The timer service KeyedProcessOperator.open() created for the function.
            var flinkTimers =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            timer = time -> flinkTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
            cleanup = timer;
        }
        if (restored) {
            // Every entity in the state sets its timers again, and the cache learns it is there.
            this.<String>getKeyedStateBackend()
                    .applyToAllKeys(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            gate.entityDescriptor(),
                            (String key, ValueState<long[]> entity) -> {
                                long[] state = entity.value();
                                if (state != null) {
                                    if (cacheKeys > 0) {
                                        gate.storedEntity(key);
                                    }
                                    gate.pendingTimers(state, cleanup, timer);
                                }
                            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        LifecycleGate<E> gate = gate();
        timers.fireDue(
                mark.getTimestamp(),
                this,
                (time, key) -> {
                    timerOutput.setAbsoluteTimestamp(time);
                    gate.onOwnTimer(
                            time,
                            timerOutput,
                            rejected ->
                                    output.collect(
                                            LifecycleGate.REJECTED,
                                            new StreamRecord<>(rejected, time)));
                });
        // Then the clean-ups, which output nothing: an entity's waiting events are all before its
        // clean-up time, so they have been decided by now.
        cleanups.fireDue(mark.getTimestamp(), this, (time, key) -> gate.onCleanup());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        gate().flush();
    }

    /** Event-time timers waiting in this operator's own index (for tests). */
    int pendingEventTimers() {
        return timers.size() + cleanups.size();
    }

    @SuppressWarnings("unchecked")
    private LifecycleGate<E> gate() {
        return (LifecycleGate<E>) userFunction;
    }
}
