package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.common.BenchProbe;
import io.citypulse.serde.AvroCodec;
import io.citypulse.serde.RecordDecodingException;
import io.citypulse.validation.Problem;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Avro single-object records of one type and validates them, never throwing on bad input:
 * an undecodable or invalid record becomes a rejected envelope carrying the original bytes, the
 * reason and where it was read, so the job keeps running and nothing is lost.
 *
 * @param <T> the record type
 * @param <E> the envelope the source emits (accepted record or dead letter)
 */
public abstract class DecodingDeserializationSchema<T extends SpecificRecordBase, E>
        implements KafkaRecordDeserializationSchema<E> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String job;
    private transient AvroCodec<T> codec;

    protected DecodingDeserializationSchema(Class<T> type, String job) {
        this.type = type;
        this.job = job;
    }

    /** Null when the record is usable, else why not. */
    protected abstract Problem validate(T record, long nowMillis);

    protected abstract E accepted(T record, String topic, int partition, long offset);

    protected abstract E rejected(DeadLetter deadLetter);

    protected abstract String eventIdOf(T record);

    protected abstract java.time.Instant eventTimeOf(T record);

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = AvroCodec.forType(type);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<E> out) {
        if (codec == null) {
            codec = AvroCodec.forType(type);
        }
        BenchProbe.read();
        T value;
        try {
            value = codec.decode(record.value());
        } catch (RecordDecodingException e) {
            out.collect(
                    rejected(deadLetter(record, e.reason().name(), e.getMessage(), null, null)));
            return;
        }
        Problem problem = validate(value, System.currentTimeMillis());
        if (problem != null) {
            out.collect(
                    rejected(
                            deadLetter(
                                    record,
                                    problem.reason(),
                                    problem.detail(),
                                    eventIdOf(value),
                                    eventTimeOf(value))));
            return;
        }
        out.collect(accepted(value, record.topic(), record.partition(), record.offset()));
    }

    private DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            String reason,
            String detail,
            String eventId,
            java.time.Instant eventTime) {
        return DeadLetters.of(
                job,
                reason,
                detail,
                record.topic(),
                record.partition(),
                record.offset(),
                eventId,
                eventTime,
                record.value());
    }
}
