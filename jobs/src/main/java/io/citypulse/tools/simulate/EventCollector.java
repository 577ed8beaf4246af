package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;

/**
 * Receives the events a generator produces, in no particular order (the {@link Simulator} orders
 * them by event time before they reach an {@link EventSink}).
 */
interface EventCollector {

    void ticket(TicketEvent event);

    void lead(LeadEvent event);
}
