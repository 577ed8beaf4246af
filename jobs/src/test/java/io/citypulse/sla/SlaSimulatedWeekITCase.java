package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.citypulse.avro.TicketEvent;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.testutils.RepoPaths;
import io.citypulse.tools.simulate.JsonLines;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated week through the whole SLA path: {@code scripts/simulate}'s generator writes JSON
 * lines; the same events go to a fresh Kafka topic (shuffled within the watermark bound, with
 * redeliveries and a few undecodable records); {@link SlaJob#main} runs bounded in this JVM against
 * the real broker and a fresh ClickHouse database; then {@code sla_breaches}, {@code agency_daily},
 * the dashboard queries and the dead letters are compared with {@link SlaOracle} computed from the
 * JSON lines, read as plain JSON. A second run over the same topic must leave every row, versions
 * included, unchanged (idempotent replay).
 *
 * <p>The week ends at the end of today (Asia/Shanghai), so "today" in the dashboard queries has a
 * full day of data. Needs the local stack (scripts/stack up) or KAFKA_BOOTSTRAP / CLICKHOUSE_URL.
 */
class SlaSimulatedWeekITCase {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private KafkaTestTopics topics;
    private ClickHouseTestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        topics = new KafkaTestTopics();
        db = ClickHouseTestDatabase.create("sla_week");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    @Timeout(600)
    void shouldMatchTheOracleInClickHouseAndReplayIdempotently() throws Exception {
        LocalDate today = LocalDate.now(SHANGHAI);
        Path jsonl = dir.resolve("week.jsonl");
        simulate(today.minusDays(6), jsonl);
        appendNeverDispatched(jsonl, 3);
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);

        SlaOracle.Result expected =
                SlaOracle.compute(oracleEvents(lines), SlaResults.oracleLimits(), SHANGHAI);
        assertThat(expected.breaches()).hasSizeGreaterThan(100);

        String ticketsTopic = topics.create("sla-tickets", 2);
        String deadLetterTopic = topics.create("sla-dead-letters", 1);
        int garbage = produce(ticketsTopic, lines);

        String[] args = jobArgs(ticketsTopic, deadLetterTopic);
        SlaJob.main(args);

        Map<String, SlaOracle.Breach> breaches = new HashMap<>();
        Map<String, Long> versions = new TreeMap<>();
        for (Map<String, Object> r : db.query(BREACHES)) {
            SlaOracle.Breach b = breach(r);
            breaches.put(SlaOracle.key(b.ticketId(), b.kind()), b);
            versions.put(SlaOracle.key(b.ticketId(), b.kind()), number(r, "version"));
        }
        SlaResults.assertSameRows("sla_breaches", breaches, expected.breaches());

        Map<String, SlaOracle.Day> days = new HashMap<>();
        for (Map<String, Object> r : db.query(DAYS)) {
            SlaOracle.Day d = day(r);
            days.put(SlaOracle.key(d.day(), d.agency()), d);
        }
        SlaResults.assertSameRows("agency_daily", days, expected.days());

        checkDashboards(expected);

        assertThat(db.queryLong("SELECT count() FROM rejected_events WHERE job = 'sla'"))
                .isEqualTo(garbage);
        assertThat(topics.readAll(deadLetterTopic)).hasSize(garbage);

        // Replay: same topic, same database. Deterministic versions: nothing changes.
        List<Map<String, Object>> dayVersions = db.query(DAY_VERSIONS);
        SlaJob.main(jobArgs(ticketsTopic, deadLetterTopic));
        assertThat(db.query(DAY_VERSIONS)).isEqualTo(dayVersions);
        Map<String, Long> replayed = new TreeMap<>();
        Map<String, SlaOracle.Breach> replayedRows = new HashMap<>();
        for (Map<String, Object> r : db.query(BREACHES)) {
            SlaOracle.Breach b = breach(r);
            replayedRows.put(SlaOracle.key(b.ticketId(), b.kind()), b);
            replayed.put(SlaOracle.key(b.ticketId(), b.kind()), number(r, "version"));
        }
        assertThat(replayed).isEqualTo(versions);
        SlaResults.assertSameRows("sla_breaches after replay", replayedRows, expected.breaches());
        assertThat(db.queryLong("SELECT count() FROM agency_daily FINAL"))
                .isEqualTo(expected.days().size());
    }

    private String[] jobArgs(String ticketsTopic, String deadLetterTopic) throws Exception {
        return new String[] {
            "--bounded",
            "--bootstrap",
            topics.bootstrap(),
            "--tickets-topic",
            ticketsTopic,
            "--dead-letter-topic",
            deadLetterTopic,
            "--group-id",
            "sla-week-" + UUID.randomUUID(),
            "--clickhouse-url",
            db.settings().url(),
            "--clickhouse-database",
            db.name(),
            "--sla-limits",
            SlaResults.writeLimits(dir).toString(),
            // Longer than the week: no ticket is released, so a late REOPENED is always seen.
            "--closed-grace",
            "8d",
            "--agency-emit-interval",
            "1h",
            "-Dparallelism.default=2",
            "-Dstate.backend.type=rocksdb",
            "-Dexecution.checkpointing.interval=2s",
            "-Dexecution.checkpointing.dir=" + dir.resolve("checkpoints").toUri(),
            "-Drestart-strategy.type=none"
        };
    }

    /** Runs the simulator's command line (what scripts/simulate runs) in a child JVM. */
    private static void simulate(LocalDate start, Path jsonl) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.citypulse.tools.simulate.Simulate",
                                "--start",
                                start.toString(),
                                "--days",
                                "7",
                                "--seed",
                                "20261126",
                                "--tickets-per-hour",
                                "40",
                                "--no-kafka",
                                "--jsonl",
                                jsonl.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(File.createTempFile("simulate", ".log"))
                        .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("simulator finished").isTrue();
        assertThat(p.exitValue()).as("simulator exit code").isZero();
    }

    /**
     * Appends CREATED lines of tickets that are never dispatched (the simulator dispatches every
     * ticket, so an open dispatch breach would otherwise depend on luck at the week's end).
     */
    private static void appendNeverDispatched(Path jsonl, int n) throws Exception {
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        ObjectNode model = null;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.get("kind").asText().equals("ticket")) {
                model = model == null ? (ObjectNode) node : model;
                first = Math.min(first, node.get("eventTime").asLong());
                last = Math.max(last, node.get("eventTime").asLong());
            }
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long created = first + (last - first) * (i + 1) / (n + 1) - 86_400_000L;
            ObjectNode e = model.deepCopy();
            e.put("eventId", "T-NEVER-DISPATCHED-" + i + "#1");
            e.put("ticketId", "T-NEVER-DISPATCHED-" + i);
            e.put("type", "CREATED");
            e.put("eventTime", created);
            e.putNull("agency");
            e.put("dueTime", created + 86_400_000L);
            extra.add(JSON.writeValueAsString(e));
        }
        Files.write(jsonl, extra, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    /** The oracle's input: the JSON lines as plain JSON (no Avro, no job classes). */
    private static List<SlaOracle.Event> oracleEvents(List<String> lines) throws Exception {
        List<SlaOracle.Event> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            if (!n.get("kind").asText().equals("ticket")) {
                continue;
            }
            events.add(
                    new SlaOracle.Event(
                            n.get("ticketId").asText(),
                            n.get("eventId").asText(),
                            n.get("type").asText(),
                            n.get("eventTime").asLong(),
                            n.get("urgency").asText(),
                            n.get("expedited").asBoolean(),
                            n.get("categoryCode").asText(),
                            n.get("district").asText(),
                            n.get("agency").isNull() ? null : n.get("agency").asText(),
                            n.get("dueTime").isNull() ? null : n.get("dueTime").asLong()));
        }
        return events;
    }

    /**
     * Produces the ticket lines as the job reads them (key ticketId, Avro single-object value), in
     * event time plus up to 50 s of jitter, with 1% redelivered and three undecodable records.
     *
     * @return the number of undecodable records
     */
    private int produce(String topic, List<String> lines) throws Exception {
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        Random random = new Random(3);
        record Delivery(double at, TicketEvent event) {}
        List<Delivery> deliveries = new ArrayList<>();
        for (String line : lines) {
            if (JsonLines.parse(line) instanceof TicketEvent e) {
                long t = e.getEventTime().toEpochMilli();
                deliveries.add(new Delivery(t + random.nextDouble() * 50_000, e));
                if (random.nextInt(100) == 0) {
                    deliveries.add(new Delivery(t + random.nextDouble() * 50_000, e));
                }
            }
        }
        deliveries.sort(Comparator.comparingDouble(Delivery::at));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        int garbage = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < deliveries.size(); i++) {
                TicketEvent e = deliveries.get(i).event();
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                e.getTicketId().getBytes(StandardCharsets.UTF_8),
                                codec.encode(e)));
                if (i % 20_000 == 10_000) {
                    producer.send(new ProducerRecord<>(topic, new byte[] {1, 2, 3, (byte) i}));
                    garbage++;
                }
            }
            producer.flush();
        }
        return garbage;
    }

    private static final String BREACHES =
            "SELECT ticket_id, sla_kind, status, urgency, expedited, category_code, district,"
                    + " agency, toUnixTimestamp64Milli(created) AS created_ms,"
                    + " toUnixTimestamp64Milli(deadline) AS deadline_ms,"
                    + " toUnixTimestamp64Milli(fulfilled) AS fulfilled_ms, minutes_overdue, version"
                    + " FROM sla_breaches FINAL";

    private static final String DAYS =
            "SELECT toString(day) AS day, agency, tickets_dispatched, tickets_returned,"
                    + " first_dispatch_success, first_dispatch_success_rate, dispatched_late,"
                    + " emergency_dispatched, emergency_latency_p50_min, emergency_latency_p90_min,"
                    + " general_dispatched, general_latency_p50_min, general_latency_p90_min,"
                    + " resolved_on_time, resolved_late, open_past_due FROM agency_daily FINAL";

    private static final String DAY_VERSIONS =
            "SELECT toString(day) AS day, agency, version FROM agency_daily FINAL"
                    + " ORDER BY day, agency";

    private static SlaOracle.Breach breach(Map<String, Object> r) {
        return new SlaOracle.Breach(
                (String) r.get("ticket_id"),
                (String) r.get("sla_kind"),
                (String) r.get("status"),
                (String) r.get("urgency"),
                (Boolean) r.get("expedited"),
                (String) r.get("category_code"),
                (String) r.get("district"),
                (String) r.get("agency"),
                number(r, "created_ms"),
                number(r, "deadline_ms"),
                r.get("fulfilled_ms") == null ? null : number(r, "fulfilled_ms"),
                (Double) r.get("minutes_overdue"));
    }

    private static SlaOracle.Day day(Map<String, Object> r) {
        return new SlaOracle.Day(
                (String) r.get("day"),
                (String) r.get("agency"),
                (int) number(r, "tickets_dispatched"),
                (int) number(r, "tickets_returned"),
                (int) number(r, "first_dispatch_success"),
                (Double) r.get("first_dispatch_success_rate"),
                (int) number(r, "dispatched_late"),
                (int) number(r, "emergency_dispatched"),
                (Double) r.get("emergency_latency_p50_min"),
                (Double) r.get("emergency_latency_p90_min"),
                (int) number(r, "general_dispatched"),
                (Double) r.get("general_latency_p50_min"),
                (Double) r.get("general_latency_p90_min"),
                (int) number(r, "resolved_on_time"),
                (int) number(r, "resolved_late"),
                (int) number(r, "open_past_due"));
    }

    private static long number(Map<String, Object> r, String column) {
        return ((Number) r.get(column)).longValue();
    }

    private static String dashboard(String name) throws Exception {
        return Files.readString(RepoPaths.root().resolve("sql/dashboard/" + name));
    }

    /** The dashboard queries, run as shipped, against what the oracle says. */
    private void checkDashboards(SlaOracle.Result expected) throws Exception {
        List<String> open = new ArrayList<>();
        for (Map<String, Object> r : db.query(dashboard("sla_breaches_open.sql"))) {
            open.add(SlaOracle.key((String) r.get("ticket_id"), (String) r.get("sla_kind")));
        }
        assertThat(open)
                .containsExactlyInAnyOrderElementsOf(
                        expected.breaches().entrySet().stream()
                                .filter(e -> e.getValue().status().equals("OPEN"))
                                .map(Map.Entry::getKey)
                                .toList());
        assertThat(open).hasSizeGreaterThanOrEqualTo(3);

        // "Today" is read as the query runs; recompute the oracle's for that same date.
        LocalDate today = LocalDate.now(SHANGHAI);
        Map<String, Long> byAgencyToday = new TreeMap<>();
        for (Map<String, Object> r : db.query(dashboard("sla_breaches_by_agency_today.sql"))) {
            byAgencyToday.put(
                    SlaOracle.key((String) r.get("agency"), (String) r.get("sla_kind")),
                    number(r, "breaches"));
        }
        Map<String, Long> expectedToday = new TreeMap<>();
        for (SlaOracle.Breach b : expected.breaches().values()) {
            LocalDate deadlineDay =
                    java.time.Instant.ofEpochMilli(b.deadline()).atZone(SHANGHAI).toLocalDate();
            if (deadlineDay.equals(today)) {
                String agency = b.agency() == null ? "(not dispatched)" : b.agency();
                expectedToday.merge(SlaOracle.key(agency, b.kind()), 1L, Long::sum);
            }
        }
        assertThat(byAgencyToday).isEqualTo(expectedToday).isNotEmpty();

        Map<String, long[]> success = new TreeMap<>();
        for (Map<String, Object> r : db.query(dashboard("sla_first_dispatch_success.sql"))) {
            success.put(
                    (String) r.get("agency"),
                    new long[] {
                        number(r, "dispatched"),
                        number(r, "accepted_first_time"),
                        number(r, "returned")
                    });
            long decided = number(r, "accepted_first_time") + number(r, "returned");
            if (decided > 0) {
                assertThat((Double) r.get("first_dispatch_success_rate"))
                        .isCloseTo(
                                number(r, "accepted_first_time") / (double) decided,
                                within(0.00005));
            }
        }
        Map<String, long[]> expectedSuccess = new TreeMap<>();
        for (SlaOracle.Day d : expected.days().values()) {
            if (!LocalDate.parse(d.day()).isBefore(today.minusDays(6))) {
                long[] s = expectedSuccess.computeIfAbsent(d.agency(), a -> new long[3]);
                s[0] += d.dispatched();
                s[1] += d.success();
                s[2] += d.returned();
            }
        }
        assertThat(success).hasSameSizeAs(expectedSuccess);
        expectedSuccess.forEach(
                (agency, s) -> assertThat(success.get(agency)).as(agency).containsExactly(s));
        long dispatched = expectedSuccess.values().stream().mapToLong(s -> s[0]).sum();
        long accepted = expectedSuccess.values().stream().mapToLong(s -> s[1]).sum();
        long returned = expectedSuccess.values().stream().mapToLong(s -> s[2]).sum();
        assertThat(dispatched).isGreaterThan(5_000);
        // The simulator's Shenzhen-like setting: about 2% of dispatches returned.
        assertThat(accepted / (double) (accepted + returned)).isBetween(0.96, 0.995);
    }
}
