package io.citypulse.tools.importcsv;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A row of a request-system export to ticket events: CREATED at the creation time, then DISPATCHED,
 * RESOLVED and CLOSED at their own times where the mapping names the column and the row fills it.
 * Exports record when a step happened, not every step, so nothing is invented: a closed ticket
 * without a dispatch time gets no DISPATCHED event.
 *
 * <p>Every event repeats the ticket's intake fields (channel, category, district, urgency, due
 * time), as the simulator's do, so a consumer can use any event on its own. The agency is null on
 * CREATED and set from DISPATCHED on, as the TicketEvent contract says (the unit the ticket was
 * sent to); {@code agencyOnCreated: true} in the mapping sets it on CREATED too, for exports whose
 * agency is decided at intake. Urgency is GENERAL unless the mapping says otherwise.
 */
final class TicketConverter implements RowConverter {

    /** Steps whose times must not decrease; the due time is a deadline, not a step. */
    static final List<String> LIFECYCLE = List.of("created", "dispatched", "resolved", "closed");

    private final Mapping mapping;

    TicketConverter(Mapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public Converted convert(Row row) throws RowRejected {
        RowValues values = RowValues.read(mapping, row, LIFECYCLE);
        String ticketId = values.get("ticketId");
        Long due = values.time("due");
        String urgency = values.get("urgency");
        TicketEvent.Builder ticket =
                TicketEvent.newBuilder()
                        .setTicketId(ticketId)
                        .setChannel(values.get("channel"))
                        .setCategoryCode(values.get("categoryCode"))
                        .setCategoryMajor(values.get("categoryMajor"))
                        .setDistrict(values.get("district"))
                        .setStreet(values.get("street"))
                        .setUrgency(urgency == null ? Urgency.GENERAL : Urgency.valueOf(urgency))
                        .setExpedited("true".equals(values.get("expedited")))
                        .setDueTime(due == null ? null : Instant.ofEpochMilli(due))
                        .setSourceLeadId(values.get("sourceLeadId"))
                        .setLocation(null);
        String agency = values.get("agency");
        List<SpecificRecord> events = new ArrayList<>(4);
        add(
                events,
                ticket,
                TicketEventType.CREATED,
                values.time("created"),
                mapping.agencyOnCreated() ? agency : null);
        add(events, ticket, TicketEventType.DISPATCHED, values.time("dispatched"), agency);
        add(events, ticket, TicketEventType.RESOLVED, values.time("resolved"), agency);
        add(events, ticket, TicketEventType.CLOSED, values.time("closed"), agency);
        return new Converted(ticketId, events, values.dstGaps(), values.dstOverlaps());
    }

    private void add(
            List<SpecificRecord> events,
            TicketEvent.Builder ticket,
            TicketEventType type,
            Long time,
            String agency) {
        if (time == null) {
            return;
        }
        events.add(
                TicketEvent.newBuilder(ticket)
                        .setEventId(
                                RowConverter.eventId(mapping.source(), ticket.getTicketId(), type))
                        .setType(type)
                        .setEventTime(Instant.ofEpochMilli(time))
                        .setAgency(agency)
                        .build());
    }
}
