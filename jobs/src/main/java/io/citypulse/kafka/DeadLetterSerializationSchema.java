package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes dead letters to their topic as Avro single-object records, keyed by where the original
 * record came from ({@code topic/partition/offset}) so a re-delivered rejection is recognisable.
 */
public final class DeadLetterSerializationSchema
        implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient AvroCodec<DeadLetter> codec;

    public DeadLetterSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = AvroCodec.forType(DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroCodec.forType(DeadLetter.class);
        }
        String key =
                letter.getSourceTopic()
                        + "/"
                        + letter.getSourcePartition()
                        + "/"
                        + letter.getSourceOffset();
        return new ProducerRecord<>(
                topic,
                null,
                letter.getRejectedAt().toEpochMilli(),
                key.getBytes(StandardCharsets.UTF_8),
                codec.encode(letter));
    }
}
