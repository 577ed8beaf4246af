package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Counts events by type (and delivered faults), for the summary printed at the end of a run. */
final class EventCounts implements EventSink {

    private final Map<TicketEventType, Long> tickets = new EnumMap<>(TicketEventType.class);
    private final Map<LeadEventType, Long> leads = new EnumMap<>(LeadEventType.class);
    private final Map<Fault, Long> faults = new EnumMap<>(Fault.class);

    @Override
    public void ticket(TicketEvent event) {
        tickets.merge(event.getType(), 1L, Long::sum);
    }

    @Override
    public void lead(LeadEvent event) {
        leads.merge(event.getType(), 1L, Long::sum);
    }

    @Override
    public void deliver(Delivery delivery) {
        if (delivery.fault() != Fault.NONE) {
            faults.merge(delivery.fault(), 1L, Long::sum);
        }
        if (delivery.event() instanceof TicketEvent ticket) {
            ticket(ticket);
        } else if (delivery.event() instanceof LeadEvent lead) {
            lead(lead);
        }
    }

    @Override
    public void close() {}

    /** Records delivered with this fault. */
    long faults(Fault fault) {
        return faults.getOrDefault(fault, 0L);
    }

    long ticketEvents(TicketEventType type) {
        return tickets.getOrDefault(type, 0L);
    }

    long leadEvents(LeadEventType type) {
        return leads.getOrDefault(type, 0L);
    }

    long total() {
        return tickets.values().stream().mapToLong(Long::longValue).sum()
                + leads.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A few lines for a person: counts per type, entities, wall time and throughput. */
    String summary(Duration wallTime) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "tickets: %d created (%d events)%n",
                        ticketEvents(TicketEventType.CREATED),
                        tickets.values().stream().mapToLong(Long::longValue).sum()));
        tickets.forEach(
                (type, n) -> out.append(String.format(Locale.ROOT, "  %-18s %10d%n", type, n)));
        out.append(
                String.format(
                        Locale.ROOT,
                        "leads: %d captured (%d events)%n",
                        leadEvents(LeadEventType.CAPTURED),
                        leads.values().stream().mapToLong(Long::longValue).sum()));
        leads.forEach(
                (type, n) -> out.append(String.format(Locale.ROOT, "  %-18s %10d%n", type, n)));
        if (!faults.isEmpty()) {
            out.append("faults injected (delivered records):\n");
            faults.forEach(
                    (fault, n) ->
                            out.append(String.format(Locale.ROOT, "  %-18s %10d%n", fault, n)));
        }
        double seconds = Math.max(wallTime.toNanos() / 1e9, 1e-9);
        out.append(
                String.format(
                        Locale.ROOT,
                        "%d events in %.2f s wall time (%.0f events/s)%n",
                        total(),
                        seconds,
                        total() / seconds));
        return out.toString();
    }
}
