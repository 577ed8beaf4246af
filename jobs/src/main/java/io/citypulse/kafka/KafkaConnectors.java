package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The Kafka sources and the dead-letter sink every job builds the same way. */
public final class KafkaConnectors {

    /**
     * The most a source's consumer fetches from one partition at a time, unless the client
     * properties say otherwise: 64 KiB instead of Kafka's 1 MiB. A consumer hands out one
     * partition's fetched records before the next one's, so in a replay a partition runs ahead of
     * the others by up to one fetch of event time (1 MiB is about 16 hours of one of four
     * partitions of a Shenzhen-size year), the watermark stays with the slowest, and every window
     * of that span stays open in the counters' state. On the year through {@code hotspot} the
     * median lead of an event's time over the counter's watermark fell from 17 to 3 hours with 64
     * KiB, the counter's state per key to half and its thread's CPU by a quarter (README,
     * Benchmarks). Live, a partition's fetch is far smaller than either.
     */
    static final int MAX_PARTITION_FETCH_BYTES = 64 * 1024;

    private KafkaConnectors() {}

    /** The client properties a source's consumer gets: {@code kafka}'s, with the defaults above. */
    static Properties sourceProperties(KafkaSettings kafka) {
        Properties props = kafka.properties();
        props.putIfAbsent(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Integer.toString(MAX_PARTITION_FETCH_BYTES));
        return props;
    }

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
                        .setProperties(sourceProperties(kafka))
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
