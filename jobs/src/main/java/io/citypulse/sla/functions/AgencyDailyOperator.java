package io.citypulse.sla.functions;

import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.common.EventTimeIndex;
import io.citypulse.common.OwnEventTimers;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import java.util.function.LongConsumer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs an {@link AgencyDailyFunction} with a write-back cache of its state and with event-time
 * timers of its own.
 *
 * <ul>
 *   <li>The cache: as in a {@link CachingKeyedProcessOperator}, the day's aggregate and its waiting
 *       contributions stay on the heap between checkpoints, written back before every barrier.
 *   <li>The timers: each contribution waits for the next tick of the emit interval, a timer per
 *       (agency, day) and tick, plus a clean-up per day. In Flink's timer queue on RocksDB each was
 *       a write when set and a delete when fired, a third of this operator's thread on the year
 *       (2026-11-29). Here they are an {@link EventTimeIndex} on the heap, fired when a watermark
 *       passes them, in time order, before the watermark goes on downstream, with the new watermark
 *       as the function's current one (as Flink fires its own).
 *   <li>The state says which timers each day has (its clean-up, and the tick of each waiting
 *       contribution), so the index is not snapshotted: on restore every day sets its timers again.
 *   <li>With no cache ({@code cacheKeys} 0) the state is read and written in the state backend and
 *       the timers are Flink's, as a plain {@code process(function)} would have them, except on
 *       restore: every day's timers are set again in Flink's timer service (which holds a (time,
 *       key) once). So a savepoint taken with the cache, whose timers were on the heap, restores
 *       without one and still writes its rows and drops its days. State names and the uid are those
 *       of the plain function, so its savepoints restore into this operator (the timers restored in
 *       Flink's queue then fire too, and find nothing left to do: a tick applies only what waits up
 *       to it, and a dropped day is gone) and into any cache size.
 * </ul>
 */
public final class AgencyDailyOperator
        extends CachingKeyedProcessOperator<
                Tuple2<String, Integer>, AgencyContribution, AgencyDaily> {

    private static final long serialVersionUID = 1L;

    /** The timers by (agency, day), when cached; null: Flink's. */
    private transient EventTimeIndex<Object> timers;

    private transient long watermark;
    private transient long firing;
    private transient TimestampedCollector<AgencyDaily> timerOutput;
    private transient TimerService ownTimers;
    private transient KeyedProcessFunction<Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
                    .OnTimerContext
            onTimerContext;

    /**
     * @param function the aggregation to run
     * @param cacheKeys (agency, day)s whose state stays on the heap between checkpoints (per
     *     subtask); 0: no cache, and the timers are Flink's
     */
    public AgencyDailyOperator(AgencyDailyFunction function, int cacheKeys) {
        super(function, cacheKeys);
    }

    @Override
    public void open() throws Exception {
        super.open(); // puts the cache in front of the state
        AgencyDailyFunction function = function();
        watermark = Long.MIN_VALUE;
        // Where the timers the restored state implies go (for the current key).
        LongConsumer timer;
        if (cached()) {
            timers = new EventTimeIndex<>();
            ownTimers = new OwnTimers();
            onTimerContext = new TimerContext(function);
            timerOutput = new TimestampedCollector<>(output);
            function.timeEventsWith(ownTimers);
            timer = time -> timers.register(time, getCurrentKey());
        } else {
            // The timer service KeyedProcessOperator.open() created for the function.
            var flinkTimers =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            timer = time -> flinkTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
        }
        function.timersInState(getKeyedStateBackend(), timer);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (timers != null) {
            watermark = Math.max(watermark, mark.getTimestamp());
            AgencyDailyFunction function = function();
            timers.fireDue(
                    watermark,
                    this,
                    (time, day) -> {
                        firing = time;
                        timerOutput.setAbsoluteTimestamp(time);
                        function.onTimer(time, onTimerContext, timerOutput);
                    });
        }
        super.processWatermark(mark);
    }

    /** Event-time timers waiting in this operator's own index (for tests). */
    public int pendingEventTimers() {
        return timers == null ? 0 : timers.size();
    }

    private AgencyDailyFunction function() {
        return (AgencyDailyFunction) userFunction;
    }

    /** Event-time timers in this operator's index, for the current (agency, day). */
    private final class OwnTimers extends OwnEventTimers {

        OwnTimers() {
            super("agency-daily", getProcessingTimeService(), () -> watermark);
        }

        @Override
        public void registerEventTimeTimer(long time) {
            timers.register(time, getCurrentKey());
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timers.delete(time, getCurrentKey());
        }
    }

    /** The context of a timer fired from the index: what Flink's gives {@code onTimer}. */
    private final class TimerContext
            extends KeyedProcessFunction<Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
                    .OnTimerContext {

        TimerContext(AgencyDailyFunction function) {
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
        @SuppressWarnings("unchecked")
        public Tuple2<String, Integer> getCurrentKey() {
            return (Tuple2<String, Integer>) AgencyDailyOperator.this.getCurrentKey();
        }

        @Override
        public TimerService timerService() {
            return ownTimers;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            AgencyDailyOperator.this.output.collect(tag, new StreamRecord<>(value, firing));
        }
    }
}
