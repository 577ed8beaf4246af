package io.citypulse.kafka;

import io.citypulse.avro.TicketEvent;
import io.citypulse.serde.AvroCodec;
import io.citypulse.serde.RecordDecodingException;
import io.citypulse.validation.TicketValidator;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes ticket records (Avro single-object encoding) and validates them. Never throws on bad
 * input: an undecodable or invalid record becomes a rejected {@link TicketEnvelope} carrying the
 * original bytes, the reason and where it was read, so the job keeps running and nothing is lost.
 */
public final class TicketDeserializationSchema
        implements KafkaRecordDeserializationSchema<TicketEnvelope> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final TicketValidator validator;
    private transient AvroCodec<TicketEvent> codec;

    public TicketDeserializationSchema(String job, TicketValidator validator) {
        this.job = job;
        this.validator = validator;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = AvroCodec.forType(TicketEvent.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TicketEnvelope> out) {
        if (codec == null) {
            codec = AvroCodec.forType(TicketEvent.class);
        }
        TicketEvent event;
        try {
            event = codec.decode(record.value());
        } catch (RecordDecodingException e) {
            out.collect(
                    TicketEnvelope.rejected(
                            DeadLetters.of(
                                    job,
                                    e.reason().name(),
                                    e.getMessage(),
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    null,
                                    null,
                                    record.value())));
            return;
        }
        TicketValidator.Problem problem = validator.check(event, System.currentTimeMillis());
        if (problem != null) {
            out.collect(
                    TicketEnvelope.rejected(
                            DeadLetters.of(
                                    job,
                                    problem.reason(),
                                    problem.detail(),
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    event.getEventId(),
                                    event.getEventTime(),
                                    record.value())));
            return;
        }
        out.collect(
                TicketEnvelope.accepted(
                        event, record.topic(), record.partition(), record.offset()));
    }

    @Override
    public TypeInformation<TicketEnvelope> getProducedType() {
        return TypeInformation.of(TicketEnvelope.class);
    }
}
