package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every event in memory, in arrival order: for tests and in-process checks. */
public final class CollectingSink implements EventSink {

    private final List<TicketEvent> tickets = new ArrayList<>();
    private final List<LeadEvent> leads = new ArrayList<>();
    private final List<Object> all = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();

    @Override
    public void ticket(TicketEvent event) {
        tickets.add(event);
        all.add(event);
    }

    @Override
    public void lead(LeadEvent event) {
        leads.add(event);
        all.add(event);
    }

    /** Keeps the delivery (faults on); its event, if any, also goes to the lists above. */
    @Override
    public void deliver(Delivery delivery) {
        deliveries.add(delivery);
        if (delivery.event() instanceof TicketEvent ticket) {
            ticket(ticket);
        } else if (delivery.event() instanceof LeadEvent lead) {
            lead(lead);
        }
    }

    @Override
    public void close() {}

    /** Every record as delivered by the fault injector, in order (empty without faults). */
    public List<Delivery> deliveries() {
        return Collections.unmodifiableList(deliveries);
    }

    public List<TicketEvent> tickets() {
        return Collections.unmodifiableList(tickets);
    }

    public List<LeadEvent> leads() {
        return Collections.unmodifiableList(leads);
    }

    /** Ticket and lead events interleaved as they were written. */
    public List<Object> all() {
        return Collections.unmodifiableList(all);
    }
}
