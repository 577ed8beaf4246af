package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.Problem;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Lead records from Kafka as {@link LeadEnvelope}s; see {@link DecodingDeserializationSchema}. */
public final class LeadDeserializationSchema
        extends DecodingDeserializationSchema<LeadEvent, LeadEnvelope> {

    private static final long serialVersionUID = 1L;

    private final LeadValidator validator;

    public LeadDeserializationSchema(String job, LeadValidator validator) {
        super(LeadEvent.class, job);
        this.validator = validator;
    }

    @Override
    protected Problem validate(LeadEvent record, long nowMillis) {
        return validator.check(record, nowMillis);
    }

    @Override
    protected LeadEnvelope accepted(LeadEvent record, String topic, int partition, long offset) {
        return LeadEnvelope.accepted(record, topic, partition, offset);
    }

    @Override
    protected LeadEnvelope rejected(DeadLetter deadLetter) {
        return LeadEnvelope.rejected(deadLetter);
    }

    @Override
    protected String eventIdOf(LeadEvent record) {
        return record.getEventId();
    }

    @Override
    protected Instant eventTimeOf(LeadEvent record) {
        return record.getEventTime();
    }

    @Override
    public TypeInformation<LeadEnvelope> getProducedType() {
        return TypeInformation.of(LeadEnvelope.class);
    }
}
