package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.validation.Problem;
import io.citypulse.validation.TicketValidator;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Ticket records from Kafka as {@link TicketEnvelope}s; see {@link DecodingDeserializationSchema}.
 */
public final class TicketDeserializationSchema
        extends DecodingDeserializationSchema<TicketEvent, TicketEnvelope> {

    private static final long serialVersionUID = 1L;

    private final TicketValidator validator;

    public TicketDeserializationSchema(String job, TicketValidator validator) {
        super(TicketEvent.class, job);
        this.validator = validator;
    }

    @Override
    protected Problem validate(TicketEvent record, long nowMillis) {
        return validator.check(record, nowMillis);
    }

    @Override
    protected TicketEnvelope accepted(
            TicketEvent record, String topic, int partition, long offset) {
        return TicketEnvelope.accepted(record, topic, partition, offset);
    }

    @Override
    protected TicketEnvelope rejected(DeadLetter deadLetter) {
        return TicketEnvelope.rejected(deadLetter);
    }

    @Override
    protected String eventIdOf(TicketEvent record) {
        return record.getEventId();
    }

    @Override
    protected Instant eventTimeOf(TicketEvent record) {
        return record.getEventTime();
    }

    @Override
    public TypeInformation<TicketEnvelope> getProducedType() {
        return TypeInformation.of(TicketEnvelope.class);
    }
}
