package io.citypulse.gate;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** {@link LifecycleGate} for tickets, keyed by ticketId; CREATED is the birth. */
public final class TicketGate extends LifecycleGate<TicketEnvelope> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private transient AvroCodec<TicketEvent> codec;

    public TicketGate(String job, Duration allowedLateness, Duration retention) {
        super(
                TypeInformation.of(TicketEnvelope.class),
                allowedLateness,
                retention,
                "UNKNOWN_TICKET");
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        codec = AvroCodec.forType(TicketEvent.class);
    }

    @Override
    protected String eventId(TicketEnvelope e) {
        return e.event.getEventId();
    }

    @Override
    protected long eventTime(TicketEnvelope e) {
        return e.event.getEventTime().toEpochMilli();
    }

    @Override
    protected boolean isBirth(TicketEnvelope e) {
        return e.event.getType() == TicketEventType.CREATED;
    }

    @Override
    protected DeadLetter deadLetter(TicketEnvelope e, String reason, String detail) {
        return e.deadLetter(job, reason, detail, codec);
    }
}
