package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.serde.AvroCodec;
import io.citypulse.serde.RecordDecodingException;
import io.citypulse.testutils.KafkaTestTopics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator with faults against the real Kafka broker: what the topics hold is exactly what the
 * JSON lines say was written, in the same order per key (the order Kafka guarantees), malformed
 * records included as their raw bytes, and the truth file's fault counts match both.
 */
class SimulateKafkaITCase {

    @TempDir Path tmp;

    @Test
    @Timeout(300)
    void shouldWriteExactlyTheJsonLinesToKafkaInTheirOrderWithEveryFault() throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics()) {
            String tickets = kafka.create("it-sim-tickets", 4);
            String leads = kafka.create("it-sim-leads", 2);
            Path jsonl = tmp.resolve("events.jsonl");
            Path truth = tmp.resolve("truth.json");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc =
                    Simulate.run(
                            new String[] {
                                "--hours", "12",
                                "--seed", "5",
                                "--bootstrap", kafka.bootstrap(),
                                "--tickets-topic", tickets,
                                "--leads-topic", leads,
                                "--disorder", "2m",
                                "--duplicates", "0.01",
                                "--late", "0.01",
                                "--late-by", "1h",
                                "--malformed", "0.005",
                                "--random-incidents", "2",
                                "--truth", truth.toString(),
                                "--jsonl", jsonl.toString()
                            },
                            Map.of(),
                            System.out,
                            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();

            List<String> lines = Files.readAllLines(jsonl);
            Map<String, List<byte[]>> expected = new HashMap<>();
            Map<String, List<Long>> expectedTimes = new HashMap<>();
            long malformed = 0;
            for (String text : lines) {
                JsonLines.Line line = JsonLines.parseLine(text);
                String topic = line.kind().equals(JsonLines.TICKET) ? tickets : leads;
                byte[] value;
                String key;
                long timestamp;
                if (line.event() == null) {
                    JsonNode node = new ObjectMapper().readTree(text);
                    value = line.malformedValue();
                    key = node.get("key").asText();
                    timestamp = node.get("timestamp").asLong();
                    malformed++;
                } else {
                    value = encode(line.event());
                    key =
                            line.event() instanceof TicketEvent t
                                    ? t.getTicketId()
                                    : ((LeadEvent) line.event()).getLeadId();
                    timestamp =
                            line.event() instanceof TicketEvent t
                                    ? t.getEventTime().toEpochMilli()
                                    : ((LeadEvent) line.event()).getEventTime().toEpochMilli();
                }
                expected.computeIfAbsent(topic + "/" + key, k -> new ArrayList<>()).add(value);
                expectedTimes
                        .computeIfAbsent(topic + "/" + key, k -> new ArrayList<>())
                        .add(timestamp);
            }

            Map<String, List<byte[]>> actual = new HashMap<>();
            Map<String, List<Long>> actualTimes = new HashMap<>();
            long undecodable = 0;
            AvroCodec<TicketEvent> ticketCodec = AvroCodec.forType(TicketEvent.class);
            AvroCodec<LeadEvent> leadCodec = AvroCodec.forType(LeadEvent.class);
            int records = 0;
            for (String topic : List.of(tickets, leads)) {
                for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(topic)) {
                    records++;
                    String key = topic + "/" + new String(r.key(), StandardCharsets.UTF_8);
                    actual.computeIfAbsent(key, k -> new ArrayList<>()).add(r.value());
                    actualTimes.computeIfAbsent(key, k -> new ArrayList<>()).add(r.timestamp());
                    try {
                        if (topic.equals(tickets)) {
                            ticketCodec.decode(r.value());
                        } else {
                            leadCodec.decode(r.value());
                        }
                    } catch (RecordDecodingException e) {
                        undecodable++;
                    }
                }
            }
            assertThat(records).isEqualTo(lines.size()).isGreaterThan(10_000);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach(
                    (key, values) -> {
                        assertThat(actual.get(key)).as(key).hasSameSizeAs(values);
                        for (int i = 0; i < values.size(); i++) {
                            assertThat(actual.get(key).get(i))
                                    .as("%s #%d", key, i)
                                    .isEqualTo(values.get(i));
                        }
                        assertThat(actualTimes.get(key)).as(key).isEqualTo(expectedTimes.get(key));
                    });
            JsonNode faults = new ObjectMapper().readTree(truth.toFile()).get("faults");
            assertThat(malformed).isPositive().isEqualTo(faults.get("malformed").asLong());
            assertThat(undecodable).isEqualTo(malformed);
            assertThat(lines.stream().filter(l -> l.contains("\"fault\":\"duplicate\"")).count())
                    .isPositive()
                    .isEqualTo(faults.get("duplicates").asLong());
            assertThat(lines.stream().filter(l -> l.contains("\"fault\":\"late\"")).count())
                    .isPositive()
                    .isEqualTo(faults.get("late").asLong());
        }
    }

    private static byte[] encode(SpecificRecord event) throws java.io.IOException {
        ByteBuffer buffer =
                event instanceof TicketEvent t
                        ? TicketEvent.getEncoder().encode(t)
                        : LeadEvent.getEncoder().encode((LeadEvent) event);
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
