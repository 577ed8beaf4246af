package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where simulated events go, in event-time order: Kafka ({@link KafkaEventSink}), a JSON-lines file
 * ({@link JsonLinesSink}), memory ({@link CollectingSink}), counters ({@link EventCounts}), or
 * several at once ({@link TeeSink}).
 */
public interface EventSink extends Closeable {

    void ticket(TicketEvent event) throws IOException;

    void lead(LeadEvent event) throws IOException;

    /** Flushes; when it returns without an exception every event has been durably written. */
    @Override
    void close() throws IOException;
}
