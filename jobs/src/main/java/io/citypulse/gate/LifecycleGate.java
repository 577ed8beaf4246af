package io.citypulse.gate;

import io.citypulse.avro.DeadLetter;
import io.citypulse.common.CachedValueState;
import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.common.StateCaching;
import io.citypulse.counts.Granularity;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets through each lifecycle event of an entity (a ticket or a lead) once, in time for its
 * windows, and only for entities that exist. Keyed by the entity id.
 *
 * <ul>
 *   <li>Duplicates: an eventId already seen for this entity is dropped (metric {@code duplicates}):
 *       the same event delivered twice counts once.
 *   <li>Late: an event whose 5-minute window has closed and whose allowed lateness has passed
 *       becomes a dead letter {@code LATE}, decided on arrival with the same rule the counters use.
 *   <li>Unknown entity: a later lifecycle step (e.g. DISPATCHED) waits until the watermark passes
 *       its event time, because the birth event (CREATED, CAPTURED) may arrive after it out of
 *       order; if the birth has not been seen by then, it becomes a dead letter {@code
 *       UNKNOWN_TICKET} / {@code UNKNOWN_LEAD}. Births pass at once.
 *   <li>Metrics: {@code duplicates}, {@code rejected.LATE}, {@code rejected.UNKNOWN_*}.
 *   <li>State: one {@code long[]} per entity: flags (birth seen, events waiting), the clean-up time
 *       and a 64-bit hash of every eventId seen (an entity has a handful of events, so a collision
 *       that would drop a distinct event has a chance of about 2<sup>-60</sup>); plus the waiting
 *       events, touched only when a step arrives before its birth. One state read and one write per
 *       event: this operator sees every event, so it is on the hot path of every job. Everything is
 *       cleared {@code retention} (event time) after the entity's last event, rounded up to a whole
 *       multiple of the retention's 30th ({@link #cleanupTime}), by one clean-up timer per entity
 *       that re-arms itself while events keep coming; a step arriving after that is treated like
 *       one of an unknown entity. "After" is in event time: an event later than the entity's
 *       clean-up time finds it forgotten even if the timer has not fired yet, so a replay decides
 *       the same way however unevenly its watermark advances.
 *   <li>Run by a {@link CachingKeyedProcessOperator}, the entity state sits in a write-back cache:
 *       an entity's handful of events mostly come between two checkpoints, and on RocksDB the read
 *       of its state for every event was the gate's largest cost.
 *   <li>Run by a {@link LifecycleGateOperator}, the state sits in the same cache and the timers in
 *       the operator's own index on the heap instead of Flink's timer queue ({@link
 *       #timeEventsWith}).
 * </ul>
 */
public abstract class LifecycleGate<E> extends KeyedProcessFunction<String, E, E>
        implements StateCaching {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("gate-rejected") {};

    private final long latenessMs;
    private final long retentionMs;

    /** Clean-up times are whole multiples of this: the retention's 30th ({@link #cleanupTime}). */
    private final long cleanupGridMs;

    private final TypeInformation<E> type;
    private final String unknownReason;

    // Layout of the entity's long[]: flags, clean-up time, then the eventId hashes.
    private static final int FLAGS = 0;
    private static final int CLEANUP = 1;
    private static final int HASHES = 2;
    private static final long BORN = 1;
    private static final long WAITING = 2;

    /** The entity state, through a write-back cache while run by a caching operator. */
    private transient CachedValueState<long[]> entity;

    /**
     * Where the current entity's event-time timers go while run by a {@link LifecycleGateOperator}
     * (its own timers), or null: Flink's timer service.
     */
    private transient LongConsumer ownTimers;

    /**
     * The current entity's clean-up timer while run by a {@link LifecycleGateOperator} (its own
     * timers), or null: with Flink's timers, one clean-up timer fires early and re-arms itself.
     */
    private transient CleanupTimers cleanupTimers;

    /**
     * The clean-up timers of a {@link LifecycleGateOperator}, one per entity, for the current one.
     */
    interface CleanupTimers {

        /**
         * Moves the entity's clean-up timer from {@code from} ({@code Long.MIN_VALUE}: it has none)
         * to {@code to}, later.
         */
        void move(long from, long to);
    }

    private transient ListState<E> waiting;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter unknown;

    protected LifecycleGate(
            TypeInformation<E> type,
            Duration allowedLateness,
            Duration retention,
            String unknownReason) {
        this.type = type;
        this.latenessMs = allowedLateness.toMillis();
        this.retentionMs = retention.toMillis();
        this.cleanupGridMs = Math.max(1, retentionMs / 30);
        this.unknownReason = unknownReason;
    }

    protected abstract String eventId(E event);

    protected abstract long eventTime(E event);

    /** True for the event that starts an entity's life (CREATED, CAPTURED). */
    protected abstract boolean isBirth(E event);

    protected abstract DeadLetter deadLetter(E event, String reason, String detail);

    @Override
    public void open(OpenContext openContext) {
        entity = new CachedValueState<>(getRuntimeContext().getState(entityDescriptor()));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", type));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        late = getRuntimeContext().getMetricGroup().addGroup("rejected").counter("LATE");
        unknown = getRuntimeContext().getMetricGroup().addGroup("rejected").counter(unknownReason);
    }

    /** The keyed state of an entity: flags, clean-up time, eventId hashes. */
    ValueStateDescriptor<long[]> entityDescriptor() {
        return new ValueStateDescriptor<>(
                "entity", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /**
     * Sends the current entity's event-time timers to the operator's own instead of Flink's timer
     * service: those of events waiting for their birth to {@code timers} (which must hold a (time,
     * entity) once however often it is set), fired through {@link #onOwnTimer}; its clean-up timer
     * to {@code cleanups}, moved whenever an event moves the clean-up time, so that it fires only
     * at that time, through {@link #onCleanup}.
     */
    void timeEventsWith(LongConsumer timers, CleanupTimers cleanups) {
        ownTimers = timers;
        cleanupTimers = cleanups;
    }

    /**
     * The event-time timers the current entity, whose state is {@code state}, still needs: its
     * clean-up time (to {@code cleanup}) and the time of each event waiting for its birth (to
     * {@code timer}). What the operator's own timers set again after a restore, as they are not
     * part of a snapshot. The clean-up timer may have been set earlier and re-armed on firing; set
     * at the clean-up time itself, it decides the same.
     */
    void pendingTimers(long[] state, LongConsumer cleanup, LongConsumer timer) throws Exception {
        cleanup.accept(state[CLEANUP]);
        if ((state[FLAGS] & WAITING) != 0) {
            Iterable<E> pending = waiting.get();
            if (pending != null) {
                for (E event : pending) {
                    timer.accept(eventTime(event));
                }
            }
        }
    }

    /**
     * Puts a write-back cache of {@code maxKeys} entities in front of the entity state; from then
     * on the operator must call {@link #flush()} before every checkpoint barrier.
     */
    @Override
    public void cacheState(KeyContext keys, int maxKeys) {
        entity.cache(keys, maxKeys, long[]::clone);
    }

    /**
     * With a cache: from now on it knows which entities the state holds, and an entity it does not
     * know (a new ticket or lead, mostly) is not read from the state. The operator must then tell
     * it, before the first event, every entity a restored state holds ({@link #storedEntity}).
     */
    void knowStoredEntities() {
        entity.knowStoredKeys();
    }

    /** The state holds {@code key}'s entity: for the scan of a restored state. */
    void storedEntity(String key) {
        entity.stored(key);
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    @Override
    public void flush() throws IOException {
        entity.flush();
    }

    @Override
    public void processElement(E event, Context ctx, Collector<E> out) throws Exception {
        long hash = hash(eventId(event));
        long t = eventTime(event);
        long[] state = entity.value();
        if (state != null && t > state[CLEANUP]) {
            // The entity expired before this event's time: it comes more than the retention after
            // the entity's last event. Its clean-up timer may not have fired yet (that depends on
            // how far the watermark has got, which a replay advances unevenly), so the event's own
            // time decides: a fresh, unborn state that keeps the pending clean-up timer (it
            // re-arms itself) and the events still waiting.
            state = new long[] {state[FLAGS] & WAITING, state[CLEANUP]};
        }
        if (state != null && seen(state, hash)) {
            duplicates.inc();
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        long fiveMinuteEnd =
                Granularity.FIVE_MINUTES.end(
                        Granularity.FIVE_MINUTES.start(t, ZoneOffset.UTC), ZoneOffset.UTC);
        if (watermark >= fiveMinuteEnd - 1 + latenessMs) {
            late.inc();
            ctx.output(
                    REJECTED,
                    deadLetter(
                            event,
                            "LATE",
                            "arrived when the watermark was "
                                    + java.time.Instant.ofEpochMilli(watermark)
                                    + ", past its window and the allowed lateness"));
            return;
        }
        if (state == null) {
            state = new long[HASHES + 1];
            state[CLEANUP] = Long.MIN_VALUE;
        } else {
            state = Arrays.copyOf(state, state.length + 1);
        }
        state[state.length - 1] = hash;
        if (isBirth(event)) {
            state[FLAGS] |= BORN;
            out.collect(event);
        } else if ((state[FLAGS] & BORN) != 0) {
            out.collect(event);
        } else {
            // The birth may still arrive out of order: decide when the watermark passes t.
            waiting.add(event);
            state[FLAGS] |= WAITING;
            setTimer(ctx.timerService(), t);
        }
        // From the event time alone, so that the same input forgets an entity at the same time
        // however the watermark advanced in a run.
        long cleanup = cleanupTime(t);
        if (cleanupTimers != null) {
            // The operator's clean-up timer follows the clean-up time (a delete and an insert on
            // the heap), so it fires once, at that time, and clears without reading the state.
            if (cleanup > state[CLEANUP]) {
                cleanupTimers.move(state[CLEANUP], cleanup);
            }
        } else if (state[CLEANUP] == Long.MIN_VALUE) {
            // The entity's one clean-up timer. Later events only move state[CLEANUP]; when the
            // timer fires early, it re-arms itself at that time (onTimer). One timer per entity
            // instead of one per event: each costs a write on registering and a read and a
            // delete on firing, and replays fire them all.
            setTimer(ctx.timerService(), cleanup);
        }
        state[CLEANUP] = Math.max(state[CLEANUP], cleanup);
        entity.update(state);
    }

    /**
     * The clean-up time of an entity whose last event is at {@code t}: the retention after it,
     * rounded up to a whole multiple of the retention's 30th since the epoch (a UTC day for the
     * default 30 days). Most of an entity's events then leave its clean-up time where it was (a
     * ticket's first steps come within hours of its CREATED), so they do not move its clean-up
     * timer: a delete and an insert in the operator's index for every event was 12% of the gate's
     * thread in a profile of a year's replay. An entity is forgotten between the retention and
     * 31/30 of it after its last event.
     */
    long cleanupTime(long t) {
        return Math.floorDiv(t + retentionMs + cleanupGridMs - 1, cleanupGridMs) * cleanupGridMs;
    }

    private void setTimer(TimerService service, long time) {
        if (ownTimers == null) {
            service.registerEventTimeTimer(time);
        } else {
            ownTimers.accept(time);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<E> out) throws Exception {
        fire(timestamp, ctx.timerService(), out, rejected -> ctx.output(REJECTED, rejected));
    }

    /**
     * A timer of the operator's own index fires at {@code timestamp} for the current entity:
     * decides as {@link #onTimer} would, sending dead letters to {@code rejected}.
     */
    void onOwnTimer(long timestamp, Collector<E> out, Consumer<DeadLetter> rejected)
            throws Exception {
        fire(timestamp, null, out, rejected);
    }

    /**
     * The operator's clean-up timer of the current entity fires: its clean-up time has come, so it
     * is forgotten, without reading its state back (in a replay, mostly long evicted from the
     * cache). Its waiting list is empty by then: every waiting event's time is before the clean-up
     * time (at least the retention after it), and the operator fires those timers first.
     */
    void onCleanup() throws IOException {
        entity.clear();
    }

    private void fire(
            long timestamp, TimerService service, Collector<E> out, Consumer<DeadLetter> rejected)
            throws Exception {
        long[] state = entity.value();
        if (state == null) {
            return;
        }
        boolean isBorn = (state[FLAGS] & BORN) != 0;
        List<E> stillWaiting = new ArrayList<>();
        if ((state[FLAGS] & WAITING) != 0) {
            Iterable<E> pending = waiting.get();
            if (pending != null) {
                for (E event : pending) {
                    if (eventTime(event) > timestamp) {
                        stillWaiting.add(event);
                    } else if (isBorn) {
                        out.collect(event);
                    } else {
                        unknown.inc();
                        rejected.accept(
                                deadLetter(
                                        event,
                                        unknownReason,
                                        "no birth event (CREATED/CAPTURED) seen for this id by"
                                                + " the time the watermark passed this event"));
                    }
                }
            }
        }
        if (timestamp >= state[CLEANUP]) {
            for (E event : stillWaiting) {
                unknown.inc();
                rejected.accept(deadLetter(event, unknownReason, "entity state expired"));
            }
            entity.update(null);
            if ((state[FLAGS] & WAITING) != 0) {
                // Without the flag the list is empty (emptied by update below): no delete.
                waiting.clear();
            }
        } else {
            // Events since the timer was set moved the clean-up time: wait for it. (A timer of a
            // waiting event lands here too; registering the same time again is a no-op.) The
            // operator's clean-up timer is at the clean-up time already.
            if (cleanupTimers == null) {
                setTimer(service, state[CLEANUP]);
            }
            if ((state[FLAGS] & WAITING) != 0) {
                waiting.update(stillWaiting);
                if (stillWaiting.isEmpty()) {
                    state[FLAGS] &= ~WAITING;
                    entity.update(state);
                }
            }
        }
    }

    private static boolean seen(long[] state, long hash) {
        for (int i = HASHES; i < state.length; i++) {
            if (state[i] == hash) {
                return true;
            }
        }
        return false;
    }

    /** 64-bit FNV-1a over the id's characters. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
