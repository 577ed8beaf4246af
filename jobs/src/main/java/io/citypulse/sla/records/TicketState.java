package io.citypulse.sla.records;

import io.citypulse.avro.TicketEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the SLA job keeps about one ticket (keyed state of {@code TicketSlaFunction}): its
 * intake attributes, its deduplicated history in event-time order, the timers it registered, and
 * what it last wrote. A ticket has a handful of events, so the whole history is small; keeping it
 * lets the rules be re-evaluated from scratch at any event time, whatever order events arrived in.
 */
public class TicketState {

    public String ticketId;

    /** Time of the CREATED event, or null while it has not been seen. */
    public Long createdAt;

    /** Latest event time the rules were evaluated as of (evaluation never goes back). */
    public long evaluatedUpTo = Long.MIN_VALUE;

    // Intake attributes: from CREATED, or provisionally from the first event seen before it.
    public String urgency;
    public boolean expedited;
    public String categoryCode;
    public String categoryMajor;
    public String district;

    /** Resolution deadline carried by the events, or null. */
    public Long dueTime;

    /** Deduplicated events, kept sorted by {@link TicketStep#EVENT_TIME_ORDER}. */
    public List<TicketStep> steps = new ArrayList<>();

    /** Event-time timers registered for this ticket and not fired yet. */
    public List<Long> timers = new ArrayList<>();

    /** Release time registered for a resolved ticket (last event + closed grace), or null. */
    public Long releaseAt;

    /** Last row written per SLA kind, or null. */
    public EmittedRow dispatchRow;

    public EmittedRow resolutionRow;

    /** Last agency fact sent, or null. */
    public AgencyFact fact;

    // Where the first event was read, for the dead letter of a ticket whose CREATED never came.
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public TicketState() {}

    /** True if an event with this id is already in the history. */
    public boolean hasEvent(String eventId) {
        for (TicketStep s : steps) {
            if (s.eventId.equals(eventId)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a step at its place in event-time order. */
    public void addStep(TicketStep step) {
        int i = steps.size();
        while (i > 0 && TicketStep.EVENT_TIME_ORDER.compare(steps.get(i - 1), step) > 0) {
            i--;
        }
        steps.add(i, step);
    }

    /** Takes the intake attributes from an event; CREATED's win over any earlier provisional. */
    public void takeAttributes(TicketEvent e, boolean fromCreated) {
        urgency = e.getUrgency().name();
        expedited = e.getExpedited();
        categoryCode = e.getCategoryCode();
        categoryMajor = e.getCategoryMajor();
        district = e.getDistrict();
        if (e.getDueTime() != null && (fromCreated || dueTime == null)) {
            dueTime = e.getDueTime().toEpochMilli();
        }
    }

    /** Time of the latest event in the history. */
    public long lastEventTime() {
        return steps.get(steps.size() - 1).time;
    }
}
