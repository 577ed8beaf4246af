package io.citypulse.sla.functions;

import io.citypulse.common.CachingKeyedBroadcastOperator;
import io.citypulse.common.EventTimeIndex;
import io.citypulse.common.OwnEventTimers;
import io.citypulse.common.WriteBackCache;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.sla.records.TicketState;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link TicketSlaFunction} with a write-back cache of its ticket state and with event-time
 * timers of its own.
 *
 * <ul>
 *   <li>The cache: the state machine reads and rewrites a ticket's whole {@code TicketState} on
 *       every event and again on every timer (the event's own, its deadlines, its expiry and
 *       release), so on RocksDB most of that work was serialising the same object again. The cache
 *       is written back before every checkpoint barrier, so checkpoints, savepoints and restores
 *       see exactly what the uncached function would have stored. It knows which tickets the state
 *       holds (those it wrote, and on restore every one in the state), so a new ticket's first
 *       event does not read RocksDB for a ticket that is not there.
 *   <li>The timers: three to five per ticket, each a write to RocksDB's timer queue and later a
 *       read, a delete and a key switch; a bounded run's final watermark fires every one still
 *       pending. Here they are an {@link EventTimeIndex} on the heap, fired when a watermark passes
 *       them, in time order, before the watermark goes on downstream, with the new watermark as the
 *       function's current one (as Flink fires its own). Its later times (deadlines days ahead,
 *       expiries, releases) wait in plain lists by bucket ({@link
 *       EventTimeIndex#bucketedInLists()}), and each timer holds its ticket's handle in the cache
 *       ({@link io.citypulse.common.WriteBackCache.Handle}), so a firing timer finds a cached
 *       ticket without a look-up.
 *   <li>A ticket's state lists its pending timers ({@code TicketState.timers}), so the index is not
 *       snapshotted: on restore every ticket registers its listed timers again.
 *   <li>At the end of a bounded input (the watermark {@code Long.MAX_VALUE}, with the input's last
 *       event time known from the broadcast input) only the timers up to that last event time fire;
 *       the rest, which the function would ignore one state read and write at a time, are dropped
 *       and counted ({@code sla.timersBeyondInputEnd}). That phase took 38 to 330 s of a bench run.
 *   <li>With no cache ({@code cacheKeys} 0) the ticket state is read and written in the state
 *       backend and the timers are Flink's, as a plain {@code connect(...).process(function)} would
 *       have them, except on restore: every ticket's listed timers are set again in Flink's timer
 *       service (which holds a (time, ticket) once). So a savepoint taken with the cache, whose
 *       timers were on the heap, restores without one and still reports its deadlines and drops its
 *       tickets. State names and the uid are those of the plain function, so savepoints of either
 *       restore into the other, and into any cache size.
 * </ul>
 */
public final class TicketSlaOperator
        extends CachingKeyedBroadcastOperator<String, TicketEnvelope, Long, SlaBreach> {

    private static final long serialVersionUID = 1L;

    /** The timers, each holding its ticket's handle in the state's cache (the key, in effect). */
    private transient EventTimeIndex<WriteBackCache.Handle> timers;

    private transient long watermark;
    private transient long firing;

    /** The ticket whose timer fires (not always the current key: see processWatermark). */
    private transient String firingTicket;

    private transient TimestampedCollector<SlaBreach> timerOutput;
    private transient BroadcastState<String, Long> horizon;
    private transient TimerService ownTimers;
    private transient KeyedBroadcastProcessFunction<String, TicketEnvelope, Long, SlaBreach>
                    .OnTimerContext
            onTimerContext;

    /**
     * @param function the state machine to run
     * @param cacheKeys tickets whose state stays on the heap between checkpoints (per subtask); 0:
     *     no cache, and the timers are Flink's
     */
    public TicketSlaOperator(TicketSlaFunction function, int cacheKeys) {
        super(function, List.of(TicketSlaFunction.HORIZON), cacheKeys);
    }

    @Override
    public void open() throws Exception {
        super.open(); // puts the cache in front of the ticket state
        TicketSlaFunction function = function();
        timers = EventTimeIndex.bucketedInLists();
        watermark = Long.MIN_VALUE;
        timerOutput = new TimestampedCollector<>(output);
        horizon = getOperatorStateBackend().getBroadcastState(TicketSlaFunction.HORIZON);
        ownTimers = new OwnTimers();
        onTimerContext = new TimerContext(function);
        // Where the timers listed in the restored state go (for the current key); the cache learns
        // every ticket the state holds, and reads no other (a new ticket's first event).
        LongConsumer timer;
        boolean cached = cached();
        if (cached) {
            function.knowStoredTickets();
            function.timeEventsWith(ownTimers);
            // Before the ticket is cached: a handle that only names it.
            // (A ticket's list holds each time once, so appended without the index's look-up.)
            timer = time -> timers.append(time, WriteBackCache.detached(getCurrentKey()));
        } else {
            // The timer service CoBroadcastWithKeyedOperator.open() created for the function,
            // which holds a (time, ticket) once.
            var flinkTimers =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            timer = time -> flinkTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        }
        this.<String>getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        function.ticketDescriptor(),
                        (String ticket, ValueState<TicketState> state) -> {
                            TicketState s = state.value();
                            if (s != null) {
                                if (cached) {
                                    function.storedTicket(ticket);
                                }
                                for (Long time : s.timers) {
                                    timer.accept(time);
                                }
                            }
                        });
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // The function reads the current watermark while its timers fire (the final watermark
        // of a bounded input is told apart by it): advance it first, as Flink's timer service does.
        watermark = Math.max(watermark, mark.getTimestamp());
        TicketSlaFunction function = function();
        // The final watermark of a bounded input: a timer later than the input's last event time
        // does nothing (onTimer ignores it), yet firing it costs a state read and write per
        // timer, for every ticket still tracked. Fire only those up to that time.
        Long inputEnd =
                watermark == Long.MAX_VALUE ? horizon.get(TicketSlaFunction.LAST_EVENT) : null;
        long upTo = inputEnd == null ? watermark : inputEnd;
        // A ticket still cached is not made the current key (on RocksDB a switch serialises it):
        // the state machine finds it through the timer's handle.
        timers.fireDue(
                upTo,
                (time, ticket) -> {
                    firing = time;
                    firingTicket = (String) ticket.key();
                    timerOutput.setAbsoluteTimestamp(time);
                    if (function.pin(ticket)) {
                        try {
                            function.onTimer(time, onTimerContext, timerOutput);
                        } finally {
                            function.unpin();
                        }
                    } else {
                        setCurrentKey(ticket.key());
                        function.resume(ticket);
                        function.onTimer(time, onTimerContext, timerOutput);
                    }
                });
        if (inputEnd != null) {
            // They stay listed in each ticket's state: a savepoint taken after this watermark
            // (stop with drain) still knows them, and a job restored from it sets them again.
            function.ignoredBeyondInputEnd(timers.clear());
        }
        super.processWatermark(mark);
    }

    /** Event-time timers waiting in this operator's own index (for tests). */
    public int pendingEventTimers() {
        return timers.size();
    }

    private TicketSlaFunction function() {
        return (TicketSlaFunction) userFunction;
    }

    /** Event-time timers in this operator's index, for the current ticket. */
    private final class OwnTimers extends OwnEventTimers {

        OwnTimers() {
            super("the SLA state machine", getProcessingTimeService(), () -> watermark);
        }

        /**
         * Appended without the index's look-up for the pair: the function sets a time only when the
         * ticket's list of timers lacks it ({@code TicketSlaFunction.register}), and takes it off
         * the list when it fires or is deleted. A look-up in a bucket's list scans it, and in a
         * replay, whose watermark trails the events, even the events' own timers wait there.
         */
        @Override
        public void registerEventTimeTimer(long time) {
            timers.append(time, function().handle());
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers.delete(time, function().handle());
        }
    }

    /** The context of a timer fired from the index: what Flink's gives {@code onTimer}. */
    private final class TimerContext
            extends KeyedBroadcastProcessFunction<String, TicketEnvelope, Long, SlaBreach>
                    .OnTimerContext {

        TimerContext(TicketSlaFunction function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return firing;
        }

        @Override
        public TimeDomain timeDomain() {
            return TimeDomain.EVENT_TIME;
        }

        @Override
        public String getCurrentKey() {
            return firingTicket;
        }

        @Override
        public TimerService timerService() {
            return ownTimers;
        }

        @Override
        public long currentProcessingTime() {
            return ownTimers.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
                MapStateDescriptor<K, V> descriptor) {
            if (!descriptor.getName().equals(TicketSlaFunction.HORIZON.getName())) {
                throw new IllegalArgumentException(
                        "no broadcast state " + descriptor.getName() + " in this operator");
            }
            return (ReadOnlyBroadcastState<K, V>) horizon;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            TicketSlaOperator.this.output.collect(tag, new StreamRecord<>(value, firing));
        }
    }
}
