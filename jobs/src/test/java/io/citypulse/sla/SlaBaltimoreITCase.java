package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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
 * The real Baltimore 311 sample (10,000 requests, 2014..2019, with their DueDate) through the CSV
 * importer ({@code scripts/import-csv} with {@code scripts/mappings/baltimore.yaml}) and the SLA
 * job, against the real broker and a fresh ClickHouse database. The resolution breaches in {@code
 * sla_breaches} are compared, ticket by ticket, with a count made straight from the CSV: closed
 * after the due time, or still open with the due time before the sample's last event time.
 *
 * <p>The export has no dispatch times, so the job tracks RESOLUTION only ({@code --sla-kinds});
 * tickets stay open for years in this sample, so the maximum ticket age is set beyond its span;
 * rows without a DueDate fall back to the configured default (5 days, the catalogue switched off,
 * since Baltimore's request types are not CityPulse catalogue items).
 */
class SlaBaltimoreITCase {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DateTimeFormatter CSV_TIME =
            DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);
    private static final long DEFAULT_RESOLUTION_MS = Duration.ofDays(5).toMillis();

    @TempDir Path dir;

    private KafkaTestTopics topics;
    private ClickHouseTestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        topics = new KafkaTestTopics();
        db = ClickHouseTestDatabase.create("sla_baltimore");
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

    /** What the CSV says about one request. */
    private record Request(String id, long created, Long due, Long closed) {}

    /** An expected or actual resolution breach. */
    private record Resolution(String status, long deadline, Long fulfilled) {}

    @Test
    @Timeout(600)
    void shouldFindExactlyTheResolutionBreachesTheCsvShows() throws Exception {
        Path root = RepoPaths.root();
        Path csv = root.resolve("../shared/data/baltimore_311_sample.csv").normalize();
        Path jsonl = dir.resolve("baltimore.jsonl");
        Path rejects = dir.resolve("rejects.csv");
        importCsv(root.resolve("scripts/mappings/baltimore.yaml"), csv, jsonl, rejects);
        assertThat(Files.readAllLines(rejects).stream().filter(l -> !l.isBlank()).skip(1))
                .as("the importer took every row")
                .isEmpty();

        // The independent count, from the CSV alone.
        List<Request> requests = readCsv(csv);
        assertThat(requests).hasSize(10_000);
        long lastEvent = Long.MIN_VALUE;
        for (Request r : requests) {
            lastEvent = Math.max(lastEvent, r.closed() == null ? r.created() : r.closed());
        }
        Map<String, Resolution> expected = new HashMap<>();
        int withDueDate = 0;
        for (Request r : requests) {
            long due = r.due() != null ? r.due() : r.created() + DEFAULT_RESOLUTION_MS;
            if (r.closed() != null && r.closed() > due) {
                expected.put(r.id(), new Resolution("FULFILLED_LATE", due, r.closed()));
            } else if (r.closed() == null && due <= lastEvent) {
                expected.put(r.id(), new Resolution("OPEN", due, null));
            } else {
                continue;
            }
            withDueDate += r.due() != null ? 1 : 0;
        }
        assertThat(withDueDate).as("breaches of the sample's own DueDate").isGreaterThan(500);

        String ticketsTopic = topics.create("sla-baltimore", 2);
        String deadLetterTopic = topics.create("sla-baltimore-dead-letters", 1);
        produce(ticketsTopic, jsonl);
        Path limits = dir.resolve("limits.properties");
        Files.writeString(limits, "catalogue = false\nresolution.default = 5d\n");
        SlaJob.main(
                new String[] {
                    "--bounded",
                    "--bootstrap",
                    topics.bootstrap(),
                    "--tickets-topic",
                    ticketsTopic,
                    "--dead-letter-topic",
                    deadLetterTopic,
                    "--group-id",
                    "sla-baltimore-" + UUID.randomUUID(),
                    "--clickhouse-url",
                    db.settings().url(),
                    "--clickhouse-database",
                    db.name(),
                    "--sla-limits",
                    limits.toString(),
                    "--sla-kinds",
                    "RESOLUTION",
                    "--max-ticket-age",
                    "3650d",
                    "--zone",
                    "America/New_York",
                    "-Dparallelism.default=2",
                    "-Drestart-strategy.type=none"
                });

        Map<String, Resolution> actual = new HashMap<>();
        for (Map<String, Object> row :
                db.query(
                        "SELECT ticket_id, sla_kind, status,"
                                + " toUnixTimestamp64Milli(deadline) AS deadline_ms,"
                                + " toUnixTimestamp64Milli(fulfilled) AS fulfilled_ms"
                                + " FROM sla_breaches FINAL")) {
            assertThat(row.get("sla_kind")).isEqualTo("RESOLUTION");
            actual.put(
                    (String) row.get("ticket_id"),
                    new Resolution(
                            (String) row.get("status"),
                            ((Number) row.get("deadline_ms")).longValue(),
                            row.get("fulfilled_ms") == null
                                    ? null
                                    : ((Number) row.get("fulfilled_ms")).longValue()));
        }
        SlaResults.assertSameRows("resolution breaches", actual, expected);
        assertThat(db.queryLong("SELECT count() FROM rejected_events")).isZero();
    }

    /** Runs the importer's command line (what scripts/import-csv runs) in a child JVM. */
    private static void importCsv(Path mapping, Path csv, Path jsonl, Path rejects)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = File.createTempFile("import-csv", ".log");
        Process p =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.citypulse.tools.importcsv.ImportCsv",
                                "--mapping",
                                mapping.toString(),
                                "--csv",
                                csv.toString(),
                                "--no-kafka",
                                "--jsonl",
                                jsonl.toString(),
                                "--rejects",
                                rejects.toString(),
                                "--no-progress")
                        .redirectErrorStream(true)
                        .redirectOutput(log)
                        .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("importer finished").isTrue();
        assertThat(p.exitValue())
                .as("importer exit code; its output: %s", Files.readString(log.toPath()))
                .isZero();
    }

    /** The imported events to Kafka as the job reads them: key ticketId, Avro value. */
    private void produce(String topic, Path jsonl) throws Exception {
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        int n = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (JsonLines.parse(line) instanceof TicketEvent e) {
                    // No record timestamp: the export's years-old times would fall under the
                    // topic's retention; the job reads event time from the payload.
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    e.getTicketId().getBytes(StandardCharsets.UTF_8),
                                    codec.encode(e)));
                    n++;
                }
            }
            producer.flush();
        }
        assertThat(n).isGreaterThan(10_000);
    }

    /** Reads the export: quoted fields may hold commas; times are local New York time. */
    private static List<Request> readCsv(Path csv) throws Exception {
        List<List<String>> records = parseCsv(Files.readString(csv, StandardCharsets.UTF_8));
        List<String> header = records.get(0);
        int id = header.indexOf("ServiceRequestNum");
        int created = header.indexOf("CreatedDate");
        int due = header.indexOf("DueDate");
        int closed = header.indexOf("CloseDate");
        List<Request> out = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            out.add(
                    new Request(
                            r.get(id),
                            time(r.get(created)),
                            r.get(due).isEmpty() ? null : time(r.get(due)),
                            r.get(closed).isEmpty() ? null : time(r.get(closed))));
        }
        return out;
    }

    private static long time(String text) {
        return ZonedDateTime.of(LocalDateTime.parse(text, CSV_TIME), NEW_YORK)
                .toInstant()
                .toEpochMilli();
    }

    /** RFC 4180: fields separated by commas, optionally quoted, "" for a quote inside quotes. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
