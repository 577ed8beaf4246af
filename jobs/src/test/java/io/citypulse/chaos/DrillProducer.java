package io.citypulse.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.serde.AvroCodec;
import io.citypulse.tools.simulate.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a simulated city's JSON lines to the drill's Kafka topics as the jobs read them (key =
 * ticket or lead id, record timestamp = event time, Avro single-object value), in file order and
 * paced evenly over a wall-clock duration, so the jobs follow a live stream and a failure injected
 * mid-drill hits them while data flows.
 *
 * <p>With {@code malformedEvery} N > 0, one extra bad record is written after every N-th event, in
 * turn: garbage bytes ({@code NOT_SINGLE_OBJECT}), an event whose type is a symbol this build does
 * not know ({@code UNKNOWN_TYPE}), and an event with an empty required field ({@code
 * MISSING_FIELD}). The bad events carry ids of their own ({@code CHAOS-BAD-n}), so they never touch
 * a real ticket's lifecycle, and the oracle leaves them out. What was injected, per topic and
 * expected reason, goes to the summary file the check reads.
 *
 * <p>The producer is idempotent with acks=all and waits up to 10 minutes for a broker, so a broker
 * restart mid-drill neither loses nor duplicates input records.
 */
final class DrillProducer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DrillProducer() {}

    static void run(
            Path jsonl,
            String bootstrap,
            String ticketsTopic,
            String leadsTopic,
            Duration duration,
            int malformedEvery,
            Path summary)
            throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        AvroCodec<TicketEvent> tickets = AvroCodec.forType(TicketEvent.class);
        AvroCodec<LeadEvent> leads = AvroCodec.forType(LeadEvent.class);
        Map<String, Map<String, Integer>> injected = new TreeMap<>();
        injected.put("tickets", new TreeMap<>());
        injected.put("leads", new TreeMap<>());
        Random random = new Random(20261126);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long events = 0;
        long start = System.nanoTime();
        long nanosPerLine = duration.toNanos() / Math.max(1, lines.size());
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < lines.size(); i++) {
                if (i % 200 == 0) {
                    pace(start + i * nanosPerLine);
                    if (failure.get() != null) {
                        throw failure.get();
                    }
                }
                JsonLines.Line line = JsonLines.parseLine(lines.get(i));
                if (line.event() == null) {
                    continue; // the simulator's own malformed records are not used by the drills
                }
                SpecificRecord event = line.event();
                boolean ticket = event instanceof TicketEvent;
                String topic = ticket ? ticketsTopic : leadsTopic;
                String key =
                        ticket
                                ? ((TicketEvent) event).getTicketId()
                                : ((LeadEvent) event).getLeadId();
                long timestamp =
                        ticket
                                ? ((TicketEvent) event).getEventTime().toEpochMilli()
                                : ((LeadEvent) event).getEventTime().toEpochMilli();
                byte[] value =
                        ticket
                                ? tickets.encode((TicketEvent) event)
                                : leads.encode((LeadEvent) event);
                send(producer, topic, key, timestamp, value, failure);
                events++;
                if (malformedEvery > 0 && events % malformedEvery == 0) {
                    long n = events / malformedEvery;
                    String badId = "CHAOS-BAD-" + n;
                    String reason;
                    byte[] bad;
                    switch ((int) (n % 3)) {
                        case 0 -> {
                            reason = "NOT_SINGLE_OBJECT";
                            bad = new byte[16 + random.nextInt(48)];
                            random.nextBytes(bad);
                            bad[0] = 'x'; // never the single-object marker C3 01
                        }
                        case 1 -> {
                            reason = "UNKNOWN_TYPE";
                            bad =
                                    ticket
                                            ? tickets.encode(
                                                    TicketEvent.newBuilder((TicketEvent) event)
                                                            .setEventId(badId + "#1")
                                                            .setTicketId(badId)
                                                            .setType(TicketEventType.UNKNOWN)
                                                            .build())
                                            : leads.encode(
                                                    LeadEvent.newBuilder((LeadEvent) event)
                                                            .setEventId(badId + "#1")
                                                            .setLeadId(badId)
                                                            .setType(LeadEventType.UNKNOWN)
                                                            .build());
                        }
                        default -> {
                            reason = "MISSING_FIELD";
                            bad =
                                    ticket
                                            ? tickets.encode(
                                                    TicketEvent.newBuilder((TicketEvent) event)
                                                            .setEventId(badId + "#1")
                                                            .setTicketId(badId)
                                                            .setDistrict("")
                                                            .build())
                                            : leads.encode(
                                                    LeadEvent.newBuilder((LeadEvent) event)
                                                            .setEventId(badId + "#1")
                                                            .setLeadId(badId)
                                                            .setPlatform("")
                                                            .build());
                        }
                    }
                    send(producer, topic, key, timestamp, bad, failure);
                    injected.get(ticket ? "tickets" : "leads").merge(reason, 1, Integer::sum);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("malformed", injected);
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        Files.writeString(summary, JSON.writeValueAsString(out));
        System.err.printf(
                "produced %d events and %s malformed records in %.1f s%n",
                events, injected, (System.nanoTime() - start) / 1e9);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String key,
            long timestamp,
            byte[] value,
            AtomicReference<Exception> failure) {
        producer.send(
                new ProducerRecord<>(
                        topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8), value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /** Waits until the wall clock reaches {@code dueNanos} (pacing, not synchronisation). */
    private static void pace(long dueNanos) throws IOException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
