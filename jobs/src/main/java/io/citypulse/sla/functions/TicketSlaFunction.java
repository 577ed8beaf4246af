package io.citypulse.sla.functions;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.common.CachedValueState;
import io.citypulse.common.EventTimeHorizon;
import io.citypulse.common.StateCaching;
import io.citypulse.common.WriteBackCache;
import io.citypulse.kafka.DeadLetters;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.BreachStatus;
import io.citypulse.sla.records.EmittedRow;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.sla.records.SlaKind;
import io.citypulse.sla.records.TicketState;
import io.citypulse.sla.records.TicketStep;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLA state machine: one ticket's events in, its broken promises out, the moment they break.
 *
 * <ul>
 *   <li><b>Input 1</b>: accepted ticket events ({@link TicketEnvelope}), <b>key</b> ticketId.
 *   <li><b>Input 2</b> (broadcast): the last event time of the whole input, sent once by {@link
 *       EventTimeHorizon} just before the final watermark of a bounded run.
 *   <li><b>State</b>: one {@link TicketState} per ticket: intake attributes, the deduplicated
 *       history, registered timers, the rows and agency fact last written.
 *   <li><b>Output</b>: {@link SlaBreach} rows (identity ticket + kind, increasing versions); side
 *       outputs {@link #AGENCY} (retract/add of the ticket's agency fact) and {@link #STALE} (dead
 *       letters of tickets whose CREATED never came).
 * </ul>
 *
 * <h2>Order</h2>
 *
 * Events are not applied on arrival. Each is added to the history (sorted by event time; an eventId
 * already there is a duplicate and changes nothing) and an event-time timer is set at its time;
 * deadlines are timers too. When a timer fires the watermark has passed it, so every event up to
 * that time has arrived, and {@link SlaRules} evaluates the history <em>as of the timer's
 * time</em>. DISPATCHED before CREATED, or any other shuffle within the watermark's bound, gives
 * the same rows as the ordered stream. An event that arrives behind the watermark (late) is applied
 * at once, as of the current watermark: a late dispatch updates the breach, and one that proves a
 * reported breach wrong turns it WITHDRAWN.
 *
 * <h2>Versions</h2>
 *
 * A row's version is the event time as of which it is true (bumped by one if needed to increase),
 * never the wall clock: a replay of the same events writes the same rows with the same versions.
 *
 * <h2>End of a bounded run</h2>
 *
 * At the end of its input Flink sends the watermark {@code Long.MAX_VALUE}, which fires every
 * pending timer, including deadlines far beyond the data. A deadline later than the last event time
 * of the whole input has not passed in the data's world, so it is not a breach. While that
 * watermark is being processed, a timer later than the input's last event time (received on the
 * broadcast input; without it, the ticket's own last event time, which can only under-report) is
 * therefore ignored: no breach, no expiry, no release. A deadline at or before it fires normally.
 *
 * <h2>Tracked promises</h2>
 *
 * {@link SlaRules} may track only one kind (e.g. RESOLUTION for an export without dispatch times):
 * the other kind then gets neither deadline timers nor rows.
 *
 * <h2>State hygiene</h2>
 *
 * A resolved ticket's state is dropped {@code closedGrace} after its last event (a REOPENED within
 * the grace period is still applied). Any ticket is dropped {@code maxTicketAge} after creation: if
 * still open, every open breach and its resolution are written ABANDONED. A ticket whose CREATED
 * never arrives is dropped {@code maxTicketAge} after its earliest event and reported as a dead
 * letter {@code STALE_NO_CREATED}. All timers of a dropped ticket are deleted with it.
 *
 * <p>Whether a ticket is still tracked is decided by event time, not by how far the watermark has
 * got: an event later than its ticket's release or expiry finds the ticket forgotten even if that
 * timer has not fired yet (a replay's watermark is a minimum over unevenly advancing partitions, so
 * it can trail an event by days). The ticket's timers up to then fire first, in time order, as they
 * would have had the watermark kept up, and the event starts a new, CREATED-less ticket. A replay
 * of the same input therefore releases, abandons and orphans the same tickets.
 */
public final class TicketSlaFunction
        extends KeyedBroadcastProcessFunction<String, TicketEnvelope, Long, SlaBreach>
        implements StateCaching {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TicketSlaFunction.class);

    /** Broadcast state holding the last event time of the input (key {@value #LAST_EVENT}). */
    public static final MapStateDescriptor<String, Long> HORIZON =
            new MapStateDescriptor<>("sla-input-horizon", Types.STRING, Types.LONG);

    static final String LAST_EVENT = "lastEventTime";

    /** Changes to agency_daily: retraction of the old fact, addition of the new one. */
    public static final OutputTag<AgencyContribution> AGENCY =
            new OutputTag<>("agency-contributions", TypeInformation.of(AgencyContribution.class));

    /** Dead letters of tickets dropped without ever seeing their CREATED. */
    public static final OutputTag<DeadLetter> STALE =
            new OutputTag<>("stale-tickets", TypeInformation.of(DeadLetter.class));

    public static final String STALE_REASON = "STALE_NO_CREATED";

    private final String job;
    private final SlaRules rules;
    private final long closedGraceMs;
    private final long maxTicketAgeMs;

    /** The ticket's state, through a write-back cache while run by a {@link TicketSlaOperator}. */
    private transient CachedValueState<TicketState> ticket;

    private transient ValueStateDescriptor<TicketState> ticketDescriptor;

    /**
     * The event-time timers of a {@link TicketSlaOperator} (its own), or null: those of the
     * context, Flink's.
     */
    private transient TimerService eventTimers;

    private transient Counter duplicates;
    private transient Counter lateEvents;
    private transient Counter beyondHorizon;
    private transient Counter released;
    private transient Counter abandoned;
    private transient Counter orphaned;
    private transient boolean warnedNoHorizon;

    public TicketSlaFunction(
            String job, SlaRules rules, Duration closedGrace, Duration maxTicketAge) {
        this.job = job;
        this.rules = rules;
        this.closedGraceMs = closedGrace.toMillis();
        this.maxTicketAgeMs = maxTicketAge.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ticketDescriptor = new ValueStateDescriptor<>("ticket", TicketState.class);
        ticket = new CachedValueState<>(getRuntimeContext().getState(ticketDescriptor));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("sla");
        duplicates = metrics.counter("duplicateEvents");
        lateEvents = metrics.counter("lateEvents");
        beyondHorizon = metrics.counter("timersBeyondInputEnd");
        released = metrics.counter("ticketsReleased");
        abandoned = metrics.counter("ticketsAbandoned");
        orphaned = metrics.counter("ticketsWithoutCreated");
    }

    /**
     * Puts a write-back cache of {@code maxKeys} tickets in front of the state; from then on the
     * operator must call {@link #flush()} before every checkpoint barrier.
     */
    @Override
    public void cacheState(KeyContext keys, int maxKeys) {
        TypeSerializer<TicketState> serializer = ticketDescriptor.getSerializer();
        ticket.cache(keys, maxKeys, serializer::copy);
    }

    /**
     * With a cache: from now on it knows which tickets the state holds, and a ticket it does not
     * know (a new one, mostly) is not read from the state. The operator must then tell it, before
     * the first event, every ticket a restored state holds ({@link #storedTicket}).
     */
    void knowStoredTickets() {
        ticket.knowStoredKeys();
    }

    /** The state holds {@code id}'s ticket: for the scan of a restored state. */
    void storedTicket(String id) {
        ticket.stored(id);
    }

    /**
     * Registers and deletes event-time timers with {@code timers} instead of Flink's timer service;
     * the operator then fires them through {@link #onTimer} with a context whose {@code
     * timerService()} is the same.
     */
    void timeEventsWith(TimerService timers) {
        eventTimers = timers;
    }

    /**
     * Counts timers the operator dropped at the end of a bounded input without firing them, being
     * later than the input's last event time: what {@link #onTimer} would have ignored.
     */
    void ignoredBeyondInputEnd(long timers) {
        beyondHorizon.inc(timers);
    }

    /**
     * The current ticket's handle in the state's cache, which the operator's own timers hold
     * instead of its id (with a cache only): its state has been read by then, so it is cached.
     */
    WriteBackCache.Handle handle() {
        return ticket.handle();
    }

    /**
     * A timer of the operator's own that holds {@code handle} fires, its ticket already the current
     * key: the state is then found without a look-up while the ticket stays cached.
     */
    void resume(WriteBackCache.Handle handle) {
        ticket.resume(handle);
    }

    /**
     * A timer of the operator's own that holds {@code handle} fires, the ticket not made the
     * current key: true if it is still cached, and {@link #onTimer} then works on it through the
     * handle until {@link #unpin()}; false if it is not, and the operator must make it the current
     * key and {@link #resume} it. The state machine reads no other keyed state and does not ask for
     * the current key: its breaches name the ticket from its state.
     */
    boolean pin(WriteBackCache.Handle handle) {
        return ticket.pin(handle);
    }

    void unpin() {
        ticket.unpin();
    }

    /** The keyed state of a ticket, once opened. */
    ValueStateDescriptor<TicketState> ticketDescriptor() {
        return ticketDescriptor;
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    @Override
    public void flush() throws IOException {
        ticket.flush();
    }

    @Override
    public void processElement(
            TicketEnvelope envelope, ReadOnlyContext ctx, Collector<SlaBreach> out)
            throws Exception {
        TicketEvent e = envelope.event;
        long time = e.getEventTime().toEpochMilli();
        TimerService timers = eventTimers != null ? eventTimers : ctx.timerService();
        TicketState s = ticket.value();
        if (s != null && time > forgetAt(s)) {
            // Released or expired before this event's time, though the watermark has not got
            // there yet: what happens then must not depend on how far it has got.
            catchUp(s, ctx, timers, out);
            s = null;
        }
        if (s == null) {
            s = new TicketState();
            s.ticketId = e.getTicketId();
            s.takeAttributes(e, false);
            s.sourceTopic = envelope.topic;
            s.sourcePartition = envelope.partition;
            s.sourceOffset = envelope.offset;
        } else if (s.hasEvent(e.getEventId())) {
            duplicates.inc(); // a redelivery: the first copy was applied already
            return;
        }
        s.addStep(new TicketStep(e.getEventId(), e.getType(), time, e.getAgency()));
        if (e.getType() == TicketEventType.CREATED) {
            if (s.createdAt == null || time < s.createdAt) {
                s.createdAt = time;
                s.takeAttributes(e, true);
            }
        } else if (s.dueTime == null && e.getDueTime() != null) {
            s.dueTime = e.getDueTime().toEpochMilli();
        }

        long watermark = timers.currentWatermark();
        if (time > watermark) {
            // Evaluate once the watermark has passed the event: everything before it is in.
            register(s, timers, time);
        }
        if (s.createdAt != null) {
            // Deadlines already behind the watermark are covered by the evaluation below or by
            // the event's own timer, which evaluates as of a later time.
            if (rules.tracks(SlaKind.DISPATCH)) {
                registerIfAhead(s, timers, rules.dispatchDeadline(s), watermark);
            }
            if (rules.tracks(SlaKind.RESOLUTION)) {
                registerIfAhead(s, timers, rules.resolutionDeadline(s), watermark);
            }
        }
        register(s, timers, expireAt(s));
        updateRelease(s, timers);
        if (time <= watermark) {
            // Late: its time has passed already, so apply it now, as of the watermark.
            lateEvents.inc();
            evaluate(s, watermark, ctx, out);
        }
        ticket.update(s);
    }

    @Override
    public void processBroadcastElement(Long lastEventTime, Context ctx, Collector<SlaBreach> out)
            throws Exception {
        BroadcastState<String, Long> horizon = ctx.getBroadcastState(HORIZON);
        Long known = horizon.get(LAST_EVENT);
        horizon.put(LAST_EVENT, known == null ? lastEventTime : Math.max(known, lastEventTime));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SlaBreach> out)
            throws Exception {
        TicketState s = ticket.value();
        if (s == null) {
            return;
        }
        s.timers.remove(Long.valueOf(timestamp));
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE
                && timestamp > inputEnd(ctx, s)) {
            // End of a bounded input: this time never came in the data. Not a breach, and not a
            // reason to expire or release the ticket either.
            beyondHorizon.inc();
            ticket.update(s);
            return;
        }
        fire(s, timestamp, ctx, ctx.timerService(), out);
    }

    /** What a timer of the ticket does at {@code timestamp} (already taken off its list). */
    private void fire(
            TicketState s,
            long timestamp,
            ReadOnlyContext ctx,
            TimerService timers,
            Collector<SlaBreach> out)
            throws IOException {
        evaluate(s, timestamp, ctx, out);
        if (timestamp == expireAt(s)) {
            expire(s, timestamp, ctx, out);
            drop(s, timers);
        } else if (s.releaseAt != null && timestamp == s.releaseAt) {
            // Resolved and quiet for the whole grace period (a later event would have moved it).
            released.inc();
            drop(s, timers);
        } else {
            ticket.update(s);
        }
    }

    /**
     * Fires, in time order, the ticket's timers up to its release or expiry (the last of them,
     * which drops it), as the watermark passing them would have.
     */
    private void catchUp(
            TicketState s, ReadOnlyContext ctx, TimerService timers, Collector<SlaBreach> out)
            throws IOException {
        long forgetAt = forgetAt(s);
        List<Long> due = new ArrayList<>();
        for (Long t : s.timers) {
            if (t <= forgetAt) {
                due.add(t);
            }
        }
        Collections.sort(due);
        for (Long t : due) {
            s.timers.remove(t);
            timers.deleteEventTimeTimer(t);
            fire(s, t, ctx, timers, out);
        }
    }

    /** Evaluates the rules as of {@code asOf} and writes whatever changed. */
    private void evaluate(TicketState s, long asOf, ReadOnlyContext ctx, Collector<SlaBreach> out) {
        // Never look at an earlier time than before: a timer registered behind the watermark can
        // fire after a late event was applied as of the (later) watermark.
        long at = Math.max(asOf, s.evaluatedUpTo);
        s.evaluatedUpTo = at;
        SlaRules.Evaluation ev = rules.evaluate(s, at);
        s.dispatchRow = write(s, SlaKind.DISPATCH, ev.dispatch(), s.dispatchRow, at, out);
        s.resolutionRow = write(s, SlaKind.RESOLUTION, ev.resolution(), s.resolutionRow, at, out);
        if (!Objects.equals(ev.fact(), s.fact)) {
            if (s.fact != null) {
                ctx.output(AGENCY, AgencyContribution.retract(s.fact, at));
            }
            if (ev.fact() != null) {
                ctx.output(AGENCY, AgencyContribution.add(ev.fact(), at));
            }
            s.fact = ev.fact();
        }
    }

    /** Writes the row if its content changed; returns what is now written. */
    private EmittedRow write(
            TicketState s,
            SlaKind kind,
            SlaRules.Outcome outcome,
            EmittedRow last,
            long asOf,
            Collector<SlaBreach> out) {
        if (outcome == null) {
            if (last == null || last.status.equals(BreachStatus.WITHDRAWN.name())) {
                return last;
            }
            // A breach was reported, but a late event shows the promise was kept in time.
            return emit(
                    s,
                    kind,
                    BreachStatus.WITHDRAWN,
                    last.deadline,
                    null,
                    last.agency,
                    asOf,
                    last,
                    out);
        }
        if (last != null
                && last.sameContent(
                        outcome.status(),
                        outcome.deadline(),
                        outcome.fulfilled(),
                        outcome.agency())) {
            return last;
        }
        return emit(
                s,
                kind,
                outcome.status(),
                outcome.deadline(),
                outcome.fulfilled(),
                outcome.agency(),
                asOf,
                last,
                out);
    }

    private EmittedRow emit(
            TicketState s,
            SlaKind kind,
            BreachStatus status,
            long deadline,
            Long fulfilled,
            String agency,
            long asOf,
            EmittedRow last,
            Collector<SlaBreach> out) {
        long version = last == null ? asOf : Math.max(asOf, last.version + 1);
        SlaBreach b = new SlaBreach();
        b.ticketId = s.ticketId;
        b.slaKind = kind.name();
        b.urgency = s.urgency;
        b.expedited = s.expedited;
        b.categoryMajor = s.categoryMajor;
        b.categoryCode = s.categoryCode;
        b.district = s.district;
        b.agency = agency;
        b.created = s.createdAt;
        b.deadline = deadline;
        b.fulfilled = fulfilled;
        b.status = status.name();
        if (status == BreachStatus.FULFILLED_LATE) {
            b.minutesOverdue = (fulfilled - deadline) / 60_000.0;
        } else if (status == BreachStatus.ABANDONED) {
            b.minutesOverdue = Math.max(0, asOf - deadline) / 60_000.0;
        }
        b.version = version;
        out.collect(b);
        return new EmittedRow(status, deadline, fulfilled, agency, version);
    }

    /** The ticket reached the maximum age: report what is still open, then forget it. */
    private void expire(TicketState s, long at, ReadOnlyContext ctx, Collector<SlaBreach> out) {
        if (s.createdAt == null) {
            orphaned.inc();
            TicketStep first = s.steps.get(0);
            ctx.output(
                    STALE,
                    DeadLetters.of(
                            job,
                            STALE_REASON,
                            "ticket "
                                    + s.ticketId
                                    + ": "
                                    + s.steps.size()
                                    + " event(s) since "
                                    + Instant.ofEpochMilli(first.time)
                                    + " but no CREATED within the maximum ticket age "
                                    + Duration.ofMillis(maxTicketAgeMs)
                                    + " (it never came, or the ticket had been forgotten"
                                    + " before: resolved more than the closed grace "
                                    + Duration.ofMillis(closedGraceMs)
                                    + " or created more than the maximum age earlier);"
                                    + " state dropped",
                            s.sourceTopic,
                            s.sourcePartition,
                            s.sourceOffset,
                            first.eventId,
                            Instant.ofEpochMilli(first.time),
                            null));
        } else {
            SlaRules.Evaluation ev = rules.evaluate(s, at);
            if (ev.open()) {
                abandoned.inc();
                if (ev.dispatch() != null && ev.dispatch().status() == BreachStatus.OPEN) {
                    emit(
                            s,
                            SlaKind.DISPATCH,
                            BreachStatus.ABANDONED,
                            ev.dispatch().deadline(),
                            null,
                            null,
                            at,
                            s.dispatchRow,
                            out);
                }
                if (rules.tracks(SlaKind.RESOLUTION)) {
                    emit(
                            s,
                            SlaKind.RESOLUTION,
                            BreachStatus.ABANDONED,
                            rules.resolutionDeadline(s),
                            null,
                            latestAgency(s, at),
                            at,
                            s.resolutionRow,
                            out);
                }
            }
        }
    }

    /** Agency of the latest DISPATCHED at or before {@code at}, or null. */
    private static String latestAgency(TicketState s, long at) {
        String agency = null;
        for (TicketStep step : s.steps) {
            if (step.time <= at && step.is(TicketEventType.DISPATCHED)) {
                agency = step.agency;
            }
        }
        return agency;
    }

    /** Removes the ticket's state and every timer it still has. */
    private void drop(TicketState s, TimerService timers) throws IOException {
        for (Long t : s.timers) {
            timers.deleteEventTimeTimer(t);
        }
        ticket.update(null);
    }

    /** Creation (else the earliest event) plus the maximum ticket age. */
    private long expireAt(TicketState s) {
        long anchor = s.createdAt != null ? s.createdAt : s.steps.get(0).time;
        return anchor + maxTicketAgeMs;
    }

    /** When the ticket is forgotten: its release, if resolved, or else its expiry. */
    private long forgetAt(TicketState s) {
        long expiry = expireAt(s);
        return s.releaseAt == null ? expiry : Math.min(s.releaseAt, expiry);
    }

    /**
     * A resolved ticket is released a grace period after its last event; others never. One whose
     * CREATED has not come is not released but kept to its expiry, to be reported there as stale.
     */
    private void updateRelease(TicketState s, TimerService timers) {
        Long releaseAt =
                s.createdAt != null && SlaRules.resolvedAfterAll(s)
                        ? s.lastEventTime() + closedGraceMs
                        : null;
        if (!Objects.equals(releaseAt, s.releaseAt)) {
            // The old release timer, if any, stays registered and fires harmlessly: it may share
            // its time with a deadline or an event timer, so it is not deleted here.
            s.releaseAt = releaseAt;
            if (releaseAt != null) {
                register(s, timers, releaseAt);
            }
        }
    }

    private static void registerIfAhead(
            TicketState s, TimerService timers, long time, long watermark) {
        if (time > watermark) {
            register(s, timers, time);
        }
    }

    /**
     * Sets a timer the ticket does not have yet, listing it in its state. Only here: the operator's
     * own timers append each time they are given without looking for it.
     */
    private static void register(TicketState s, TimerService timers, long time) {
        Long boxed = time; // once: the look-up and the list share it
        if (!s.timers.contains(boxed)) {
            s.timers.add(boxed);
            timers.registerEventTimeTimer(time);
        }
    }

    /** Last event time of the whole input (bounded runs), else this ticket's last event time. */
    private long inputEnd(OnTimerContext ctx, TicketState s) throws Exception {
        Long end = ctx.getBroadcastState(HORIZON).get(LAST_EVENT);
        if (end != null) {
            return end;
        }
        if (!warnedNoHorizon) {
            warnedNoHorizon = true;
            LOG.warn(
                    "final watermark without the input's last event time; ignoring timers later"
                            + " than each ticket's own last event");
        }
        return s.lastEventTime();
    }
}
