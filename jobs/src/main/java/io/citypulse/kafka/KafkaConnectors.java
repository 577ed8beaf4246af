package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The Kafka sources and the dead-letter sink every job builds the same way. */
public final class KafkaConnectors {

    private KafkaConnectors() {}

    /**
     * A source of one topic. Bounded: a replay of everything the topic holds now, from the earliest
     * offset, that neither resumes from nor moves the live job's group offsets. Unbounded: resumes
     * from the group's committed offsets (earliest for a new group).
     */
    public static <E> KafkaSource<E> source(
            KafkaSettings kafka,
            String topic,
            String groupId,
            boolean bounded,
            KafkaRecordDeserializationSchema<E> deserializer) {
        KafkaSourceBuilder<E> builder =
                KafkaSource.<E>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setProperties(kafka.properties())
                        .setTopics(topic)
                        .setGroupId(groupId)
                        .setDeserializer(deserializer);
        if (bounded) {
            builder.setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest())
                    .setProperty("commit.offsets.on.checkpoint", "false");
        } else {
            builder.setStartingOffsets(
                    OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        }
        return builder.build();
    }

    /** Dead letters, at least once (a re-delivered rejection is recognisable by its key). */
    public static KafkaSink<DeadLetter> deadLetterSink(KafkaSettings kafka, String topic) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(kafka.properties())
                .setRecordSerializer(new DeadLetterSerializationSchema(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
