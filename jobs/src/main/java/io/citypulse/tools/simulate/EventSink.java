package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where simulated events go: Kafka ({@link KafkaEventSink}), a JSON-lines file ({@link
 * JsonLinesSink}), memory ({@link CollectingSink}), counters ({@link EventCounts}), or several at
 * once ({@link TeeSink}).
 *
 * <p>Without faults, events arrive through {@link #ticket} and {@link #lead} in event-time order.
 * With faults ({@link FaultInjector}), every record arrives through {@link #deliver} instead, in
 * delivery order, with its fault and sequence number.
 */
public interface EventSink extends Closeable {

    void ticket(TicketEvent event) throws IOException;

    void lead(LeadEvent event) throws IOException;

    /**
     * A record delivered by the fault injector. Sinks that do not care about faults take the event
     * as it is (a duplicate twice, a late one late) and drop malformed records.
     */
    default void deliver(Delivery delivery) throws IOException {
        if (delivery.event() instanceof TicketEvent ticket) {
            ticket(ticket);
        } else if (delivery.event() instanceof LeadEvent lead) {
            lead(lead);
        }
    }

    /** Flushes; when it returns without an exception every event has been durably written. */
    @Override
    void close() throws IOException;
}
