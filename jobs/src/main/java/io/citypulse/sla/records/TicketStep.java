package io.citypulse.sla.records;

import io.citypulse.avro.TicketEventType;
import java.util.Comparator;
import java.util.Objects;

/**
 * One lifecycle event of a ticket as the SLA job keeps it in state: only what the rules need (id
 * for deduplication, type, event time, agency), a few dozen bytes instead of the whole event.
 */
public class TicketStep {

    /**
     * The order the rules read a ticket's history in: event time, then lifecycle order of the type
     * (CREATED before DISPATCHED before ... REOPENED) for events in the same millisecond, then
     * eventId, so that the order never depends on arrival.
     */
    public static final Comparator<TicketStep> EVENT_TIME_ORDER =
            Comparator.comparingLong((TicketStep s) -> s.time)
                    .thenComparingInt(s -> TicketEventType.valueOf(s.type).ordinal())
                    .thenComparing(s -> s.eventId);

    public String eventId;

    /** A {@link TicketEventType} name. */
    public String type;

    /** Event time, epoch milliseconds. */
    public long time;

    /** The event's agency (the unit dispatched to), or null. */
    public String agency;

    public TicketStep() {}

    public TicketStep(String eventId, TicketEventType type, long time, String agency) {
        this.eventId = eventId;
        this.type = type.name();
        this.time = time;
        this.agency = agency;
    }

    public boolean is(TicketEventType t) {
        return type.equals(t.name());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketStep s
                && time == s.time
                && Objects.equals(eventId, s.eventId)
                && Objects.equals(type, s.type)
                && Objects.equals(agency, s.agency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, type, time, agency);
    }

    @Override
    public String toString() {
        return type + "@" + time + (agency == null ? "" : "->" + agency) + "(" + eventId + ")";
    }
}
