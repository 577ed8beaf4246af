package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.util.List;

/** Writes every event to several sinks, in the given order; closes them all. */
public final class TeeSink implements EventSink {

    private final List<EventSink> sinks;

    public TeeSink(List<EventSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void ticket(TicketEvent event) throws IOException {
        for (EventSink sink : sinks) {
            sink.ticket(event);
        }
    }

    @Override
    public void lead(LeadEvent event) throws IOException {
        for (EventSink sink : sinks) {
            sink.lead(event);
        }
    }

    @Override
    public void deliver(Delivery delivery) throws IOException {
        for (EventSink sink : sinks) {
            sink.deliver(delivery);
        }
    }

    /** Closes every sink, even when one fails, and rethrows the first failure. */
    @Override
    public void close() throws IOException {
        Throwable first = null;
        for (EventSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
    }
}
