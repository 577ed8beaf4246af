package io.citypulse.hotspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.DeadLetter;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotspotJob end to end against the real services: the simulator writes six hours of the city to a
 * fresh Kafka topic (and the same events as JSON lines), malformed records are added, the job runs
 * bounded in a local embedded Flink with RocksDB and checkpoints into a fresh ClickHouse database,
 * and every row of {@code ticket_counts_5m} is compared with counts recomputed independently from
 * the JSON lines. A second run over the same input must leave the same results.
 */
class HotspotJobITCase {

    private static final long FIVE_MINUTES = 300_000L;
    private static final int MALFORMED = 5;

    @TempDir Path tmp;

    @Test
    @Timeout(600)
    void shouldCountEveryCreatedTicketExactlyAndStayIdempotentOnReplay() throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase clickHouse = ClickHouseTestDatabase.create("it_hotspot")) {
            String tickets = kafka.create("it-tickets", 4);
            String leads = kafka.create("it-leads", 2);
            String deadLetters = kafka.create("it-dead-letters", 1);
            Path jsonl = tmp.resolve("events.jsonl");

            int rc =
                    Simulate.run(
                            new String[] {
                                "--hours",
                                "6",
                                "--seed",
                                "7",
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
            List<byte[]> garbage = new ArrayList<>();
            for (int i = 0; i < MALFORMED; i++) {
                garbage.add(("not a ticket #" + i).getBytes(StandardCharsets.UTF_8));
            }
            kafka.produce(tickets, garbage);

            Map<String, Long> expected = createdPerWindowFromJsonLines(jsonl);
            long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
            assertThat(expectedTotal)
                    .as("the simulated input has created tickets")
                    .isGreaterThan(500);

            for (int run = 1; run <= 2; run++) {
                HotspotJob.main(jobArgs(kafka, clickHouse, tickets, deadLetters, run));

                assertThat(countsInClickHouse(clickHouse)).as("run %d", run).isEqualTo(expected);
                assertThat(clickHouse.queryLong("SELECT sum(created) FROM ticket_counts_5m FINAL"))
                        .isEqualTo(expectedTotal);
                assertThat(
                                clickHouse.query(
                                        "SELECT reason, count() AS n FROM rejected_events FINAL"
                                                + " GROUP BY reason"))
                        .singleElement()
                        .satisfies(
                                r -> {
                                    assertThat(r.get("reason")).isEqualTo("NOT_SINGLE_OBJECT");
                                    assertThat(((Number) r.get("n")).longValue())
                                            .isEqualTo(MALFORMED);
                                });
            }

            // Dead letters are delivered at least once: each run re-rejects the same records.
            AvroCodec<DeadLetter> codec = AvroCodec.forType(DeadLetter.class);
            List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(deadLetters);
            assertThat(letters).hasSize(2 * MALFORMED);
            List<String> payloads = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : letters) {
                DeadLetter d = codec.decode(r.value());
                assertThat(d.getSourceTopic()).isEqualTo(tickets);
                assertThat(d.getJob()).isEqualTo("hotspot");
                payloads.add(StandardCharsets.UTF_8.decode(d.getPayload()).toString());
            }
            assertThat(payloads)
                    .containsOnly(
                            garbage.stream()
                                    .map(b -> new String(b, StandardCharsets.UTF_8))
                                    .toArray(String[]::new));
        }
    }

    private String[] jobArgs(
            KafkaTestTopics kafka,
            ClickHouseTestDatabase clickHouse,
            String tickets,
            String deadLetters,
            int run) {
        return new String[] {
            "--bounded",
            "--bootstrap",
            kafka.bootstrap(),
            "--tickets-topic",
            tickets,
            "--dead-letter-topic",
            deadLetters,
            "--group-id",
            "it-hotspot-" + run,
            "--clickhouse-url",
            clickHouse.settings().url(),
            "--clickhouse-database",
            clickHouse.name(),
            "--sink-batch-rows",
            "500",
            "-Dstate.backend.type=rocksdb",
            "-Dexecution.checkpointing.interval=1s",
            "-Dexecution.checkpointing.dir=" + tmp.resolve("checkpoints-" + run).toUri(),
            "-Dparallelism.default=2",
            "-Drestart-strategy.type=none"
        };
    }

    /** The oracle: CREATED tickets per (5-minute window, major, item, district), from the file. */
    private static Map<String, Long> createdPerWindowFromJsonLines(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode e = json.readTree(line);
                if (!e.get("kind").asText().equals("ticket")
                        || !e.get("type").asText().equals("CREATED")) {
                    continue;
                }
                long t = e.get("eventTime").asLong();
                long windowStart = t - Math.floorMod(t, FIVE_MINUTES);
                String key =
                        windowStart
                                + "|"
                                + e.get("categoryMajor").asText()
                                + "|"
                                + e.get("categoryCode").asText()
                                + "|"
                                + e.get("district").asText();
                counts.merge(key, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static Map<String, Long> countsInClickHouse(ClickHouseTestDatabase clickHouse)
            throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (Map<String, Object> row :
                clickHouse.query(
                        "SELECT toUnixTimestamp64Milli(window_start) AS ws, category_major,"
                                + " category_code, district, created"
                                + " FROM ticket_counts_5m FINAL")) {
            String key =
                    ((Number) row.get("ws")).longValue()
                            + "|"
                            + row.get("category_major")
                            + "|"
                            + row.get("category_code")
                            + "|"
                            + row.get("district");
            Long previous = counts.put(key, ((Number) row.get("created")).longValue());
            assertThat(previous).as("one row per window and key under FINAL: " + key).isNull();
        }
        return new TreeMap<>(counts);
    }
}
