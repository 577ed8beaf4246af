package io.citypulse.sla.functions;

import io.citypulse.common.CachedValueState;
import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.common.ListAsValue;
import io.citypulse.common.StateCaching;
import io.citypulse.common.WriteBackCache;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.AgencyDayAccumulator;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;

/**
 * Agency performance per day: applies tickets' {@link AgencyContribution}s (retract old fact, add
 * new) to a running aggregate and writes it as an {@code agency_daily} row.
 *
 * <ul>
 *   <li><b>Input</b>: contributions from {@link TicketSlaFunction}, each holding as of an event
 *       time.
 *   <li><b>Key</b>: (agency, local day of the first dispatch as epoch day).
 *   <li><b>State</b>: one {@link AgencyDayAccumulator} (counters, and the day's dispatch latencies
 *       per urgency in sorted arrays: exact percentiles, a few thousand values at most), plus the
 *       contributions received ahead of the watermark.
 *   <li><b>Output</b>: {@link AgencyDaily} rows at most once per {@code emitInterval} of event time
 *       per key: a contribution waits for the next multiple T of the interval at or after its time;
 *       when the watermark reaches T, every contribution up to T is applied and the row is written
 *       with version T. A row therefore says exactly "as of T", whatever arrived early, and a
 *       replay writes the same rows with the same versions. A contribution behind the watermark
 *       (from a late ticket event) joins the next tick after the watermark.
 * </ul>
 *
 * A day keeps changing as its tickets are accepted, returned and resolved, up to the maximum ticket
 * age after it; its state is dropped {@code retention} after the day's end (after applying and
 * writing what is pending). A contribution to a day already dropped is counted and ignored rather
 * than starting a wrong partial row.
 *
 * <p>Run by an {@link AgencyDailyOperator} (a {@link CachingKeyedProcessOperator} with event-time
 * timers of its own), the day's aggregate and its waiting contributions sit in write-back caches:
 * both are read and rewritten at every tick with a change. On RocksDB, deserialising the
 * aggregate's latency lists (then a boxed {@code Long} each) was most of this operator's time,
 * which was in turn the second busiest thread of the SLA job; once that was cached, reading and
 * rewriting the waiting list (a few hundred contributions when the watermark trails the events, as
 * in a replay) was a third of its samples and most of its allocation.
 */
public final class AgencyDailyFunction
        extends KeyedProcessFunction<Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
        implements StateCaching {

    private static final long serialVersionUID = 1L;

    private final ZoneId zone;
    private final long emitIntervalMs;
    private final long retentionMs;

    private transient ValueStateDescriptor<AgencyDayAccumulator> dayDescriptor;

    /** The day's aggregate, through a write-back cache while run by a caching operator. */
    private transient CachedValueState<AgencyDayAccumulator> day;

    private transient ListState<AgencyContribution> pending;

    /**
     * The waiting contributions' write-back cache while run by an {@link
     * CachingKeyedProcessOperator}, or null: the list in arrival order, as the state holds it.
     */
    private transient WriteBackCache<List<AgencyContribution>, List<AgencyContribution>>
            pendingCache;

    private transient Counter tooLate;

    /**
     * The event-time timers of the operator that runs the function ({@link AgencyDailyOperator}'s
     * own), or null: those of the context (Flink's).
     */
    private transient TimerService eventTimers;

    public AgencyDailyFunction(ZoneId zone, Duration emitInterval, Duration retention) {
        if (emitInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("the agency emit interval must be positive");
        }
        this.zone = zone;
        this.emitIntervalMs = emitInterval.toMillis();
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        dayDescriptor = new ValueStateDescriptor<>("agency-day", AgencyDayAccumulator.class);
        day = new CachedValueState<>(getRuntimeContext().getState(dayDescriptor));
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-contributions", AgencyContribution.class));
        tooLate =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("sla")
                        .counter("agencyContributionsAfterRetention");
    }

    /**
     * Puts write-back caches of {@code maxKeys} (agency, day) aggregates and waiting lists in front
     * of the state; from then on the operator must call {@link #flush()} before every checkpoint
     * barrier.
     */
    @Override
    public void cacheState(KeyContext keys, int maxKeys) {
        day.cache(keys, maxKeys, dayDescriptor.getSerializer()::copy);
        // A contribution is never changed once made, so a copy of the list is a copy of the value.
        pendingCache =
                WriteBackCache.decoding(
                        keys, new ListAsValue<>(pending), maxKeys, list -> list, ArrayList::new);
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    @Override
    public void flush() throws IOException {
        day.flush();
        if (pendingCache != null) {
            pendingCache.flush();
        }
    }

    /**
     * Sets and deletes event-time timers, and reads the watermark, with {@code timers} instead of
     * the context's timer service.
     */
    void timeEventsWith(TimerService timers) {
        this.eventTimers = timers;
    }

    private TimerService timers(Context ctx) {
        return eventTimers != null ? eventTimers : ctx.timerService();
    }

    /**
     * Calls {@code timer} with every timer the state implies, each (agency, day) the current key of
     * {@code backend}: its clean-up, and the tick of each contribution still waiting. For an
     * operator whose timers are not in the snapshot, on restore (before any cache holds a key).
     */
    void timersInState(KeyedStateBackend<Tuple2<String, Integer>> backend, LongConsumer timer)
            throws Exception {
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                dayDescriptor,
                (key, state) -> {
                    AgencyDayAccumulator acc = state.value();
                    if (acc == null) {
                        return;
                    }
                    timer.accept(cleanupAt(acc.epochDay));
                    Iterable<AgencyContribution> waiting = pending.get();
                    if (waiting != null) {
                        for (AgencyContribution c : waiting) {
                            timer.accept(nextTick(c.asOf));
                        }
                    }
                });
    }

    private Iterable<AgencyContribution> loadWaiting() throws Exception {
        return pendingCache == null ? pending.get() : pendingCache.value();
    }

    /** Stores the contributions still waiting, in arrival order; an empty list clears them. */
    private void storeWaiting(List<AgencyContribution> waiting) throws Exception {
        if (pendingCache == null) {
            pending.update(waiting);
        } else {
            pendingCache.update(waiting.isEmpty() ? null : waiting);
        }
    }

    @Override
    public void processElement(AgencyContribution c, Context ctx, Collector<AgencyDaily> out)
            throws Exception {
        TimerService timers = timers(ctx);
        long watermark = timers.currentWatermark();
        AgencyDayAccumulator acc = day.value();
        if (acc == null) {
            long cleanup = cleanupAt(c.fact.epochDay);
            if (watermark >= cleanup) {
                tooLate.inc();
                return;
            }
            acc = new AgencyDayAccumulator();
            acc.agency = c.fact.agency;
            acc.epochDay = c.fact.epochDay;
            day.update(acc);
            timers.registerEventTimeTimer(cleanup);
        }
        // Applied when the watermark passes its time; a late one at the next tick after it.
        AgencyContribution waiting =
                new AgencyContribution(c.sign, c.fact, Math.max(c.asOf, watermark + 1));
        if (pendingCache == null) {
            pending.add(waiting);
        } else {
            List<AgencyContribution> list = pendingCache.value();
            if (list == null) {
                list = new ArrayList<>();
            }
            list.add(waiting);
            pendingCache.update(list);
        }
        timers.registerEventTimeTimer(nextTick(waiting.asOf));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AgencyDaily> out)
            throws Exception {
        AgencyDayAccumulator acc = day.value();
        if (acc == null) {
            return;
        }
        List<AgencyContribution> later = new ArrayList<>();
        boolean changed = false;
        Iterable<AgencyContribution> waiting = loadWaiting();
        for (AgencyContribution c : waiting == null ? List.<AgencyContribution>of() : waiting) {
            if (c.asOf <= timestamp) {
                acc.apply(c.sign, c.fact);
                changed = true;
            } else {
                later.add(c);
            }
        }
        if (changed) {
            storeWaiting(later);
            out.collect(row(acc, timestamp));
        }
        if (timestamp == cleanupAt(acc.epochDay)) {
            for (AgencyContribution c : later) {
                timers(ctx).deleteEventTimeTimer(nextTick(c.asOf));
            }
            day.update(null);
            storeWaiting(List.of());
        } else if (changed) {
            day.update(acc);
        }
    }

    /** The next multiple of the emit interval at or after {@code time}. */
    long nextTick(long time) {
        return Math.floorDiv(time + emitIntervalMs - 1, emitIntervalMs) * emitIntervalMs;
    }

    /** End of the local day plus the retention. */
    long cleanupAt(int epochDay) {
        long dayEnd =
                LocalDate.ofEpochDay(epochDay + 1L).atStartOfDay(zone).toInstant().toEpochMilli();
        return dayEnd + retentionMs;
    }

    static AgencyDaily row(AgencyDayAccumulator acc, long version) {
        AgencyDaily r = new AgencyDaily();
        r.day = LocalDate.ofEpochDay(acc.epochDay).toString();
        r.agency = acc.agency;
        r.ticketsDispatched = acc.ticketsDispatched;
        r.ticketsReturned = acc.ticketsReturned;
        r.firstDispatchSuccess = acc.firstDispatchSuccess;
        int decided = acc.firstDispatchSuccess + acc.ticketsReturned;
        r.firstDispatchSuccessRate =
                decided == 0 ? null : acc.firstDispatchSuccess / (double) decided;
        r.dispatchedLate = acc.dispatchedLate;
        r.emergencyDispatched = acc.latencyCount(true);
        r.emergencyLatencyP50Min = minutes(acc.latencyPercentile(true, 50));
        r.emergencyLatencyP90Min = minutes(acc.latencyPercentile(true, 90));
        r.generalDispatched = acc.latencyCount(false);
        r.generalLatencyP50Min = minutes(acc.latencyPercentile(false, 50));
        r.generalLatencyP90Min = minutes(acc.latencyPercentile(false, 90));
        r.resolvedOnTime = acc.resolvedOnTime;
        r.resolvedLate = acc.resolvedLate;
        r.openPastDue = acc.openPastDue;
        r.version = version;
        return r;
    }

    private static Double minutes(Long ms) {
        return ms == null ? null : ms / 60_000.0;
    }
}
