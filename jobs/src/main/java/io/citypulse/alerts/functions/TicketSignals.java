package io.citypulse.alerts.functions;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.kafka.TicketEnvelope;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Ticket events as {@link Signal}s: CREATED counts (with its street as evidence), DISPATCHED names
 * the agency (evidence only); other lifecycle steps do not matter to spike detection, and {@link
 * Used} keeps them away from the lifecycle gate in front of this function.
 */
public final class TicketSignals implements FlatMapFunction<TicketEnvelope, Signal> {

    private static final long serialVersionUID = 1L;

    /** Whether this function turns a ticket event of {@code type} into a signal. */
    public static boolean uses(TicketEventType type) {
        return type == TicketEventType.CREATED || type == TicketEventType.DISPATCHED;
    }

    /**
     * The ticket events this function uses ({@link #uses}): the only ones the alerts job's gate
     * needs to see (most of a ticket's events are later steps, and each cost a shuffle and the
     * gate's state work).
     */
    public static final class Used implements FilterFunction<TicketEnvelope> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(TicketEnvelope envelope) {
            return uses(envelope.event.getType());
        }
    }

    @Override
    public void flatMap(TicketEnvelope envelope, Collector<Signal> out) {
        TicketEvent e = envelope.event;
        switch (e.getType()) {
            case CREATED -> out.collect(signal(Signal.TICKET_CREATED, e, e.getStreet()));
            case DISPATCHED -> out.collect(signal(Signal.TICKET_DISPATCHED, e, e.getAgency()));
            default -> {}
        }
    }

    private static Signal signal(byte kind, TicketEvent e, String detail) {
        return new Signal(
                kind,
                e.getEventTime().toEpochMilli(),
                e.getCategoryMajor(),
                e.getCategoryCode(),
                e.getDistrict(),
                detail);
    }
}
