package io.citypulse.alerts;

import io.citypulse.avro.HotspotAlert;
import io.citypulse.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes alerts to their topic as Avro single-object records keyed by alertId, so every record of
 * one alert lands in one partition in order; the record timestamp is the alert's event time.
 */
public final class AlertSerializationSchema
        implements KafkaRecordSerializationSchema<HotspotAlert> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient AvroCodec<HotspotAlert> codec;

    public AlertSerializationSchema(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = AvroCodec.forType(HotspotAlert.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            HotspotAlert alert, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroCodec.forType(HotspotAlert.class);
        }
        return new ProducerRecord<>(
                topic,
                null,
                alert.getEventTime().toEpochMilli(),
                alert.getAlertId().getBytes(StandardCharsets.UTF_8),
                codec.encode(alert));
    }
}
