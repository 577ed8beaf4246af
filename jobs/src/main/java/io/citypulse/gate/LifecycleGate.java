package io.citypulse.gate;

import io.citypulse.avro.DeadLetter;
import io.citypulse.counts.Granularity;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
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
 *   <li>State: seen eventIds, whether the birth was seen, the waiting events, and the clean-up
 *       time. Everything is cleared {@code retention} (event time) after the entity's last event; a
 *       step arriving after that is treated like one of an unknown entity.
 * </ul>
 */
public abstract class LifecycleGate<E> extends KeyedProcessFunction<String, E, E> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("gate-rejected") {};

    private final long latenessMs;
    private final long retentionMs;
    private final TypeInformation<E> type;
    private final String unknownReason;

    private transient MapState<String, Boolean> seen;
    private transient ValueState<Boolean> born;
    private transient ListState<E> waiting;
    private transient ValueState<Long> cleanupAt;
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
        this.unknownReason = unknownReason;
    }

    protected abstract String eventId(E event);

    protected abstract long eventTime(E event);

    /** True for the event that starts an entity's life (CREATED, CAPTURED). */
    protected abstract boolean isBirth(E event);

    protected abstract DeadLetter deadLetter(E event, String reason, String detail);

    @Override
    public void open(OpenContext openContext) {
        seen =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("seen", Types.STRING, Types.BOOLEAN));
        born = getRuntimeContext().getState(new ValueStateDescriptor<>("born", Types.BOOLEAN));
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", type));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        late = getRuntimeContext().getMetricGroup().addGroup("rejected").counter("LATE");
        unknown = getRuntimeContext().getMetricGroup().addGroup("rejected").counter(unknownReason);
    }

    @Override
    public void processElement(E event, Context ctx, Collector<E> out) throws Exception {
        String id = eventId(event);
        if (seen.contains(id)) {
            duplicates.inc();
            return;
        }
        long t = eventTime(event);
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
        seen.put(id, Boolean.TRUE);
        if (isBirth(event)) {
            born.update(Boolean.TRUE);
            out.collect(event);
        } else if (Boolean.TRUE.equals(born.value())) {
            out.collect(event);
        } else {
            // The birth may still arrive out of order: decide when the watermark passes t.
            waiting.add(event);
            ctx.timerService().registerEventTimeTimer(t);
        }
        long cleanup = Math.max(t, watermark) + retentionMs;
        Long current = cleanupAt.value();
        if (current == null || cleanup > current) {
            if (current != null) {
                ctx.timerService().deleteEventTimeTimer(current);
            }
            ctx.timerService().registerEventTimeTimer(cleanup);
            cleanupAt.update(cleanup);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<E> out) throws Exception {
        boolean isBorn = Boolean.TRUE.equals(born.value());
        List<E> stillWaiting = new ArrayList<>();
        Iterable<E> pending = waiting.get();
        if (pending != null) {
            for (E event : pending) {
                if (eventTime(event) > timestamp) {
                    stillWaiting.add(event);
                } else if (isBorn) {
                    out.collect(event);
                } else {
                    unknown.inc();
                    ctx.output(
                            REJECTED,
                            deadLetter(
                                    event,
                                    unknownReason,
                                    "no birth event (CREATED/CAPTURED) seen for this id by the"
                                            + " time the watermark passed this event"));
                }
            }
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && timestamp >= cleanup) {
            for (E event : stillWaiting) {
                unknown.inc();
                ctx.output(REJECTED, deadLetter(event, unknownReason, "entity state expired"));
            }
            seen.clear();
            born.clear();
            waiting.clear();
            cleanupAt.clear();
        } else {
            waiting.update(stillWaiting);
        }
    }
}
