package io.citypulse.clickhouse;

import io.citypulse.avro.DeadLetter;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaSettings;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where every job's dead letters go: Kafka {@code dead-letters} (original bytes + reason) and
 * ClickHouse {@code rejected_events}, with the same operator names and uids in every job.
 */
public final class DeadLetterSinks {

    private DeadLetterSinks() {}

    public static void attach(
            DataStream<DeadLetter> deadLetters,
            KafkaSettings kafka,
            String topic,
            ClickHouseSettings clickHouse,
            SinkOptions sink) {
        deadLetters
                .sinkTo(KafkaConnectors.deadLetterSink(kafka, topic))
                .name("dead-letters")
                .uid("dead-letters-kafka-sink");
        deadLetters
                .sinkTo(new ClickHouseSink<>(clickHouse, new RejectedEventRows(), sink))
                .name("rejected_events")
                .uid("rejected-events-sink");
    }
}
