package io.citypulse.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to a topic as one JSON object each (their public fields), for operators and other
 * tools to read without Avro: delivery audit records and failed deliveries.
 */
final class JsonLinesSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** The Kafka key of a record. */
    interface KeyOf<T> extends Serializable {
        String of(T record);
    }

    private final String topic;
    private final KeyOf<T> key;
    private transient ObjectMapper json;

    JsonLinesSerializationSchema(String topic, KeyOf<T> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new ObjectMapper();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T record, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new ObjectMapper();
        }
        try {
            return new ProducerRecord<>(
                    topic,
                    key.of(record).getBytes(StandardCharsets.UTF_8),
                    json.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record + " as JSON", e);
        }
    }
}
