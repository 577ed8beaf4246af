package io.citypulse.gate;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.serde.AvroCodec;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** {@link LifecycleGate} for leads, keyed by leadId; CAPTURED is the birth. */
public final class LeadGate extends LifecycleGate<LeadEnvelope> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private transient AvroCodec<LeadEvent> codec;

    public LeadGate(String job, Duration allowedLateness, Duration retention) {
        super(TypeInformation.of(LeadEnvelope.class), allowedLateness, retention, "UNKNOWN_LEAD");
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        super.open(openContext);
        codec = AvroCodec.forType(LeadEvent.class);
    }

    @Override
    protected String eventId(LeadEnvelope e) {
        return e.event.getEventId();
    }

    @Override
    protected long eventTime(LeadEnvelope e) {
        return e.event.getEventTime().toEpochMilli();
    }

    @Override
    protected boolean isBirth(LeadEnvelope e) {
        return e.event.getType() == LeadEventType.CAPTURED;
    }

    @Override
    protected DeadLetter deadLetter(LeadEnvelope e, String reason, String detail) {
        return e.deadLetter(job, reason, detail, codec);
    }
}
