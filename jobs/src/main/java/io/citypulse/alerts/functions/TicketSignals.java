package io.citypulse.alerts.functions;

import io.citypulse.avro.TicketEvent;
import io.citypulse.kafka.TicketEnvelope;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Ticket events as {@link Signal}s: CREATED counts (with its street as evidence), DISPATCHED names
 * the agency (evidence only); other lifecycle steps do not matter to spike detection.
 */
public final class TicketSignals implements FlatMapFunction<TicketEnvelope, Signal> {

    private static final long serialVersionUID = 1L;

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
