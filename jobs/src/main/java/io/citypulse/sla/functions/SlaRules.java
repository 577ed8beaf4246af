package io.citypulse.sla.functions;

import io.citypulse.avro.TicketEventType;
import io.citypulse.sla.SlaLimits;
import io.citypulse.sla.records.AgencyFact;
import io.citypulse.sla.records.BreachStatus;
import io.citypulse.sla.records.SlaKind;
import io.citypulse.sla.records.TicketState;
import io.citypulse.sla.records.TicketStep;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * The SLA rules as a pure function of a ticket's history and an event time ("as of"): plain Java,
 * no Flink, so each rule is tested directly and the operator only decides <em>when</em> to ask.
 *
 * <p>Only events at or before {@code asOf} count: the answer is what was true at that event time,
 * whatever arrived early. Rules:
 *
 * <ul>
 *   <li><b>Dispatch</b>: deadline = creation + {@link SlaLimits#dispatchLimitMs}. The first
 *       DISPATCHED (returns and re-dispatches do not move it) at or before the deadline keeps the
 *       promise. Breach OPEN once the deadline is reached without one; FULFILLED_LATE once the
 *       first dispatch is later.
 *   <li><b>Resolution</b>: deadline = the ticket's dueTime, else creation + {@link
 *       SlaLimits#resolutionLimitMs}. A ticket is open from creation, resolved by RESOLVED or
 *       CLOSED, open again on REOPENED. Breach when it is open at its due time (a resolution at the
 *       due time itself is on time) or reopened after it: the problem was not solved by the due
 *       time. OPEN while open; FULFILLED_LATE with the time of the resolution that ended the last
 *       open spell.
 *   <li><b>Agency fact</b> of a dispatched ticket: agency and local day of the first dispatch,
 *       latency (first dispatch minus creation), returned at least once, accepted without any
 *       return, dispatched late, and the resolution state.
 * </ul>
 */
public final class SlaRules implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Agency written for a dispatch whose event carries none. */
    public static final String UNKNOWN_AGENCY = "UNKNOWN";

    private final SlaLimits limits;
    private final ZoneId zone;
    private final boolean dispatchTracked;
    private final boolean resolutionTracked;

    /** Rules for both promises. */
    public SlaRules(SlaLimits limits, ZoneId zone) {
        this(limits, zone, EnumSet.allOf(SlaKind.class));
    }

    /**
     * Rules for the given promises only: an export without dispatch times (e.g. a 311 export with
     * created, due and closed only) cannot tell whether a dispatch was in time, so its dispatch
     * promise is better left untracked than reported broken for every ticket.
     */
    public SlaRules(SlaLimits limits, ZoneId zone, Set<SlaKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no SLA kind to track");
        }
        this.limits = limits;
        this.zone = zone;
        this.dispatchTracked = kinds.contains(SlaKind.DISPATCH);
        this.resolutionTracked = kinds.contains(SlaKind.RESOLUTION);
    }

    public boolean tracks(SlaKind kind) {
        return kind == SlaKind.DISPATCH ? dispatchTracked : resolutionTracked;
    }

    /**
     * A breach as of some time, or (as null) none.
     *
     * @param fulfilled when the promise was kept, or null while it is not
     * @param agency agency to report with the breach, or null
     */
    public record Outcome(BreachStatus status, long deadline, Long fulfilled, String agency) {}

    /**
     * Everything the rules say about a ticket as of one time.
     *
     * @param dispatch the dispatch breach, or null
     * @param resolution the resolution breach, or null
     * @param fact the agency fact, or null while the ticket is undispatched
     * @param open the ticket is not resolved as of that time
     */
    public record Evaluation(Outcome dispatch, Outcome resolution, AgencyFact fact, boolean open) {}

    /** Evaluation of a ticket that does not exist yet (before creation, or no CREATED seen). */
    public static final Evaluation NOTHING = new Evaluation(null, null, null, true);

    public long dispatchDeadline(TicketState s) {
        return s.createdAt + limits.dispatchLimitMs(s.urgency, s.expedited, s.categoryCode);
    }

    public long resolutionDeadline(TicketState s) {
        return s.dueTime != null
                ? s.dueTime
                : s.createdAt + limits.resolutionLimitMs(s.categoryCode);
    }

    /** What is true of the ticket as of {@code asOf}, counting only events at or before it. */
    public Evaluation evaluate(TicketState s, long asOf) {
        if (s.createdAt == null || asOf < s.createdAt) {
            return NOTHING;
        }
        long created = s.createdAt;
        long dispatchDeadline = dispatchDeadline(s);
        long due = resolutionDeadline(s);

        TicketStep firstDispatch = null;
        String currentAgency = null;
        boolean returned = false;
        boolean accepted = false;
        boolean open = true;
        Long resolvedSince = null;
        boolean dueReached = false;
        boolean breached = false;
        for (TicketStep step : s.steps) {
            if (step.time > asOf) {
                break; // steps are in event-time order
            }
            if (!dueReached && step.time > due) {
                // Everything up to the due time has been applied: open now means open at due.
                dueReached = true;
                breached |= open;
            }
            switch (TicketEventType.valueOf(step.type)) {
                case DISPATCHED -> {
                    if (firstDispatch == null) {
                        firstDispatch = step;
                    }
                    currentAgency = step.agency;
                }
                case RETURNED -> returned = true;
                case ACCEPTED -> accepted = true;
                case RESOLVED, CLOSED -> {
                    if (open) {
                        open = false;
                        resolvedSince = step.time;
                    }
                }
                case REOPENED -> {
                    if (!open) {
                        open = true;
                        resolvedSince = null;
                        breached |= step.time > due;
                    }
                }
                default -> {
                    // CREATED (and UNKNOWN, which validation rejects) change nothing here.
                }
            }
        }
        if (!dueReached && due <= asOf) {
            breached |= open;
        }

        Outcome dispatch = null;
        if (!dispatchTracked) {
            // not tracked: no dispatch breach, whatever the history
        } else if (firstDispatch != null) {
            if (firstDispatch.time > dispatchDeadline) {
                dispatch =
                        new Outcome(
                                BreachStatus.FULFILLED_LATE,
                                dispatchDeadline,
                                firstDispatch.time,
                                firstDispatch.agency);
            }
        } else if (dispatchDeadline <= asOf) {
            dispatch = new Outcome(BreachStatus.OPEN, dispatchDeadline, null, null);
        }

        Outcome resolution = null;
        if (breached && resolutionTracked) {
            resolution =
                    open
                            ? new Outcome(BreachStatus.OPEN, due, null, currentAgency)
                            : new Outcome(
                                    BreachStatus.FULFILLED_LATE, due, resolvedSince, currentAgency);
        }

        AgencyFact fact = null;
        if (firstDispatch != null) {
            String resolutionState =
                    breached
                            ? (open ? AgencyFact.OPEN_PAST_DUE : AgencyFact.LATE)
                            : (open ? AgencyFact.PENDING : AgencyFact.ON_TIME);
            fact =
                    new AgencyFact(
                            firstDispatch.agency == null ? UNKNOWN_AGENCY : firstDispatch.agency,
                            (int) localDay(firstDispatch.time),
                            s.urgency,
                            firstDispatch.time - created,
                            firstDispatch.time > dispatchDeadline,
                            returned,
                            accepted && !returned,
                            resolutionState);
        }
        return new Evaluation(dispatch, resolution, fact, open);
    }

    /** Days since 1970-01-01 of the local date of {@code epochMs} in the job's zone. */
    public long localDay(long epochMs) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMs), zone).toEpochDay();
    }

    /** Whether the ticket is resolved after all the events known, whatever their time. */
    public static boolean resolvedAfterAll(TicketState s) {
        boolean open = true;
        for (TicketStep step : s.steps) {
            if (step.is(TicketEventType.RESOLVED) || step.is(TicketEventType.CLOSED)) {
                open = false;
            } else if (step.is(TicketEventType.REOPENED)) {
                open = true;
            }
        }
        return !open;
    }
}
