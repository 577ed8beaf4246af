package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hours of a simulated city (150 tickets an hour, 2,000 leads a day) for the tests that stop,
 * restart or upgrade the jobs mid-input: its records as the simulator wrote them to Kafka, to be
 * produced to the jobs' topics in parts, and its JSON lines, from which the tests compute their
 * oracles.
 */
record SimulatedCity(
        List<ConsumerRecord<byte[], byte[]>> tickets,
        List<ConsumerRecord<byte[], byte[]>> leads,
        Path jsonl) {

    /** Runs the simulator into topics of its own ({@code prefix-sim-...}) and reads them back. */
    static SimulatedCity simulate(
            KafkaTestTopics kafka, String prefix, Instant start, int hours, int seed, Path jsonl)
            throws Exception {
        String tickets = kafka.create(prefix + "-sim-tickets", 1);
        String leads = kafka.create(prefix + "-sim-leads", 1);
        int rc =
                Simulate.run(
                        new String[] {
                            "--start",
                            start.toString(),
                            "--hours",
                            Integer.toString(hours),
                            "--seed",
                            Integer.toString(seed),
                            "--tickets-per-hour",
                            "150",
                            "--leads-per-day",
                            "2000",
                            "--bootstrap",
                            kafka.bootstrap(),
                            "--tickets-topic",
                            tickets,
                            "--leads-topic",
                            leads,
                            "--jsonl",
                            jsonl.toString()
                        },
                        Map.of(),
                        System.out,
                        System.err);
        assertThat(rc).as("simulator exit code").isZero();
        return new SimulatedCity(kafka.readAll(tickets), kafka.readAll(leads), jsonl);
    }

    /**
     * Produces the records before {@code split} ({@code before}) or from it to the jobs' topics.
     */
    void produce(KafkaTestTopics kafka, CityTopics topics, Instant split, boolean before)
            throws Exception {
        kafka.produce(topics.tickets(), values(tickets, split, before));
        kafka.produce(topics.leads(), values(leads, split, before));
    }

    /** The values of the records before {@code split} ({@code before}) or from it, in order. */
    private static List<byte[]> values(
            List<ConsumerRecord<byte[], byte[]>> records, Instant split, boolean before) {
        return records.stream()
                .filter(r -> (r.timestamp() < split.toEpochMilli()) == before)
                .map(ConsumerRecord::value)
                .toList();
    }
}
