package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.hotspot.HotspotJob;
import io.citypulse.sla.SlaJob;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade with a savepoint, end to end on the real Kafka broker and ClickHouse engine, on a
 * Flink MiniCluster: HotspotJob and SlaJob (their real {@code main}, RocksDB, checkpoints) read the
 * first half of a simulated city, are stopped with a savepoint, and a "newer build" (the same jar,
 * started with another parallelism and without operator chaining, so every operator moves to
 * another task) is started from that savepoint on the rest of the input and finally drained.
 *
 * <ul>
 *   <li>Counts carry on: every row of the six count tables equals the counts recomputed from the
 *       simulator's JSON lines of the whole input; the windows open at the upgrade (hour, day) hold
 *       events from both halves.
 *   <li>Open SLA timers still fire: tickets created before the upgrade whose deadline lies after it
 *       are reported breached, each one checked against its lifecycle in the JSON lines (first
 *       dispatch after the deadline, or none), and {@code sla_breaches} equals the table of an
 *       uninterrupted run over the whole input.
 * </ul>
 *
 * Had the state not been restored, the upgraded jobs would resume from the committed offsets with
 * empty state: the open windows would count only the second half and the tickets created before the
 * upgrade would be unknown to the SLA state machine.
 */
class SavepointUpgradeITCase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z"); // 08:00 local
    private static final int HOURS = 6;
    private static final Instant UPGRADE = START.plus(Duration.ofHours(3)).plusSeconds(17 * 60);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRun.miniCluster();

    @TempDir Path tmp;

    @Test
    @Timeout(900)
    void shouldCarryCountsAndOpenDeadlinesAcrossASavepointUpgrade(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase upgraded = ClickHouseTestDatabase.create("it_upgrade");
                ClickHouseTestDatabase reference = ClickHouseTestDatabase.create("it_upg_ref")) {
            String simTickets = kafka.create("it-upg-sim-tickets", 1);
            String simLeads = kafka.create("it-upg-sim-leads", 1);
            Topics topics =
                    new Topics(
                            kafka.create("it-upg-tickets", 2),
                            kafka.create("it-upg-leads", 2),
                            kafka.create("it-upg-dead-letters", 1));
            Path jsonl = tmp.resolve("events.jsonl");
            int rc =
                    Simulate.run(
                            new String[] {
                                "--start",
                                START.toString(),
                                "--hours",
                                Integer.toString(HOURS),
                                "--seed",
                                "11",
                                "--tickets-per-hour",
                                "150",
                                "--leads-per-day",
                                "2000",
                                "--bootstrap",
                                kafka.bootstrap(),
                                "--tickets-topic",
                                simTickets,
                                "--leads-topic",
                                simLeads,
                                "--jsonl",
                                jsonl.toString()
                            },
                            Map.of(),
                            System.out,
                            System.err);
            assertThat(rc).as("simulator exit code").isZero();
            List<ConsumerRecord<byte[], byte[]>> tickets = kafka.readAll(simTickets);
            List<ConsumerRecord<byte[], byte[]>> leads = kafka.readAll(simLeads);

            // v1 on the first part of the input, stopped with a savepoint.
            kafka.produce(topics.tickets, before(tickets, true));
            kafka.produce(topics.leads, before(leads, true));
            Map<String, String> savepoints = new TreeMap<>();
            List<JobRun> v1 =
                    List.of(
                            start(client, "hotspot", args("hotspot", topics, upgraded, "v", 2)),
                            start(client, "sla", args("sla", topics, upgraded, "v", 2)));
            for (JobRun run : v1) {
                run.awaitCaughtUp(kafka.bootstrap(), topics.of(run.name()));
                savepoints.put(run.name(), run.stop(client, tmp.resolve("savepoints"), false));
            }

            // The rest of the input; the newer build from the savepoints, drained at the end.
            kafka.produce(topics.tickets, before(tickets, false));
            kafka.produce(topics.leads, before(leads, false));
            List<JobRun> v2 = new ArrayList<>();
            for (String job : List.of("hotspot", "sla")) {
                List<String> a = new ArrayList<>(args(job, topics, upgraded, "v", 1));
                a.add("-Dexecution.state-recovery.path=" + savepoints.get(job));
                a.add("-Dpipeline.operator-chaining.enabled=false");
                v2.add(start(client, job, a));
            }
            // The reference: SlaJob uninterrupted over the whole input.
            JobRun uninterrupted = start(client, "sla", args("sla", topics, reference, "ref", 2));
            for (JobRun run : List.of(v2.get(0), v2.get(1), uninterrupted)) {
                run.awaitCaughtUp(kafka.bootstrap(), topics.of(run.name()));
                run.stop(client, tmp.resolve("savepoints"), true);
            }

            // The newer build started from the savepoints; the reference from scratch.
            for (JobRun run : v2) {
                RestoredCheckpointStats restored = run.restoredFrom(cluster);
                assertThat(restored).as("%s v2 restored from a savepoint", run.name()).isNotNull();
                String savepoint = savepoints.get(run.name());
                assertThat(restored.getExternalPath())
                        .endsWith(savepoint.substring(savepoint.lastIndexOf('/')));
            }
            assertThat(uninterrupted.restoredFrom(cluster)).isNull();

            // Counts carry on across the upgrade.
            Map<String, Long> expected = countOracle(jsonl);
            assertThat(expected).hasSizeGreaterThan(500);
            assertSameCounts(countsIn(upgraded), expected);
            String hourOfUpgrade =
                    Long.toString(UPGRADE.atZone(ZONE).withMinute(0).toInstant().toEpochMilli());
            assertThat(
                            expected.keySet().stream()
                                    .filter(k -> k.startsWith("ticket_counts_1h " + hourOfUpgrade))
                                    .count())
                    .as("the hour of the upgrade has counts")
                    .isPositive();

            // Open SLA deadlines still fire after the upgrade.
            Map<String, Lifecycle> lifecycles = lifecycles(jsonl);
            List<Map<String, Object>> crossing =
                    upgraded.query(
                            "SELECT ticket_id, toUnixTimestamp64Milli(created) AS c,"
                                    + " toUnixTimestamp64Milli(deadline) AS d,"
                                    + " toUnixTimestamp64Milli(fulfilled) AS f, status"
                                    + " FROM sla_breaches FINAL WHERE sla_kind = 'DISPATCH'"
                                    + " AND toUnixTimestamp64Milli(created) < "
                                    + UPGRADE.toEpochMilli()
                                    + " AND toUnixTimestamp64Milli(deadline) >= "
                                    + UPGRADE.toEpochMilli());
            assertThat(crossing)
                    .as("dispatch deadlines set before the upgrade and missed after it")
                    .hasSizeGreaterThanOrEqualTo(3);
            for (Map<String, Object> row : crossing) {
                Lifecycle l = lifecycles.get((String) row.get("ticket_id"));
                long deadline = ((Number) row.get("d")).longValue();
                assertThat(l).as("ticket %s is in the input", row.get("ticket_id")).isNotNull();
                assertThat(l.created).isEqualTo(((Number) row.get("c")).longValue());
                if (l.firstDispatch == null) {
                    assertThat(row.get("status")).isEqualTo("OPEN");
                } else {
                    assertThat(l.firstDispatch).isGreaterThan(deadline);
                    assertThat(row.get("status")).isEqualTo("FULFILLED_LATE");
                    assertThat(((Number) row.get("f")).longValue()).isEqualTo(l.firstDispatch);
                }
            }
            String breaches = "SELECT * EXCEPT (version) FROM %s.sla_breaches FINAL ORDER BY ALL";
            assertThat(upgraded.query(breaches.formatted(upgraded.name())))
                    .as("sla_breaches of the upgraded run = of an uninterrupted run")
                    .isEqualTo(reference.query(breaches.formatted(reference.name())))
                    .isNotEmpty();
            assertThat(upgraded.queryLong("SELECT count() FROM agency_daily FINAL"))
                    .isEqualTo(reference.queryLong("SELECT count() FROM agency_daily FINAL"));
        }
    }

    private record Topics(String tickets, String leads, String deadLetters) {
        List<String> of(String job) {
            return job.equals("hotspot") ? List.of(tickets, leads) : List.of(tickets);
        }
    }

    private static List<String> args(
            String job, Topics topics, ClickHouseTestDatabase db, String group, int parallelism) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap",
                                System.getenv().getOrDefault("KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
                                "--tickets-topic",
                                topics.tickets,
                                "--dead-letter-topic",
                                topics.deadLetters,
                                "--group-id",
                                "it-upgrade-" + job + "-" + group + "-" + db.name(),
                                "--clickhouse-url",
                                db.settings().url(),
                                "--clickhouse-database",
                                db.name(),
                                "--sink-batch-rows",
                                "2000",
                                "-Dstate.backend.type=rocksdb",
                                "-Dexecution.checkpointing.incremental=true",
                                "-Dexecution.checkpointing.interval=1s",
                                "-Dparallelism.default=" + parallelism,
                                "-Drestart-strategy.type=none"));
        if (job.equals("hotspot")) {
            a.addAll(List.of("--leads-topic", topics.leads));
        }
        return a;
    }

    /** The values of the records before (or from) the upgrade instant, in their order. */
    private static List<byte[]> before(List<ConsumerRecord<byte[], byte[]>> records, boolean b) {
        return records.stream()
                .filter(r -> (r.timestamp() < UPGRADE.toEpochMilli()) == b)
                .map(ConsumerRecord::value)
                .toList();
    }

    /** HotspotJob's or SlaJob's real main on the MiniCluster. */
    private static JobRun start(ClusterClient<?> client, String job, List<String> args)
            throws Exception {
        return JobRun.start(
                client, job, job.equals("hotspot") ? HotspotJob::main : SlaJob::main, args);
    }

    private static final List<String> TICKET_MEASURES =
            List.of(
                    "created",
                    "emergency",
                    "expedited",
                    "dispatched",
                    "returned",
                    "accepted",
                    "resolved",
                    "closed",
                    "reopened");
    private static final List<String> LEAD_MEASURES =
            List.of("captured", "verified_valid", "verified_invalid", "converted");

    /** The six count tables as "table windowStart dims measure" -> count (zeros left out). */
    private static Map<String, Long> countsIn(ClickHouseTestDatabase db) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (String g : List.of("5m", "1h", "1d")) {
            read(
                    db,
                    "ticket_counts_" + g,
                    "category_major, category_code, district, agency, channel",
                    TICKET_MEASURES,
                    out);
            read(
                    db,
                    "lead_counts_" + g,
                    "category_major, category_code, district, platform",
                    LEAD_MEASURES,
                    out);
        }
        return out;
    }

    private static void read(
            ClickHouseTestDatabase db,
            String table,
            String dims,
            List<String> measures,
            Map<String, Long> out)
            throws Exception {
        for (Map<String, Object> r : db.query(sqlFor(table, dims, measures))) {
            for (String m : measures) {
                long v = ((Number) r.get(m)).longValue();
                if (v != 0) {
                    out.put(table + " " + r.get("ws") + " " + r.get("dims") + " " + m, v);
                }
            }
        }
    }

    private static String sqlFor(String table, String dims, List<String> measures) {
        List<String> parts = new ArrayList<>();
        for (String d : dims.split(",\\s*")) {
            parts.add("ifNull(toString(" + d + "), '')");
        }
        return "SELECT toUnixTimestamp64Milli(window_start) AS ws, concatWithSeparator('|', "
                + String.join(", ", parts)
                + ") AS dims, "
                + String.join(", ", measures)
                + " FROM "
                + table
                + " FINAL";
    }

    /**
     * The independent oracle: every simulated event once, counted in its 5-minute, local-hour and
     * local-day window by its dimensions, straight from the JSON lines.
     */
    private static Map<String, Long> countOracle(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode e = json.readTree(line);
                Instant t = Instant.ofEpochMilli(e.get("eventTime").asLong());
                boolean ticket = e.get("kind").asText().equals("ticket");
                String type = e.get("type").asText();
                List<String> measures = new ArrayList<>(List.of(type.toLowerCase()));
                String dims;
                if (ticket) {
                    dims =
                            String.join(
                                    "|",
                                    text(e, "categoryMajor"),
                                    text(e, "categoryCode"),
                                    text(e, "district"),
                                    text(e, "agency"),
                                    text(e, "channel"));
                    if (type.equals("CREATED") && e.get("urgency").asText().equals("EMERGENCY")) {
                        measures.add("emergency");
                    }
                    if (type.equals("CREATED") && e.get("expedited").asBoolean()) {
                        measures.add("expedited");
                    }
                } else {
                    dims =
                            String.join(
                                    "|",
                                    text(e, "categoryMajor"),
                                    text(e, "categoryCode"),
                                    text(e, "district"),
                                    text(e, "platform"));
                }
                String table = ticket ? "ticket_counts_" : "lead_counts_";
                long ms = t.toEpochMilli();
                LocalDate day = t.atZone(ZONE).toLocalDate();
                Map<String, Long> windows =
                        Map.of(
                                "5m", ms - Math.floorMod(ms, 300_000L),
                                "1h",
                                        t.atZone(ZONE)
                                                .withMinute(0)
                                                .withSecond(0)
                                                .withNano(0)
                                                .toInstant()
                                                .toEpochMilli(),
                                "1d", day.atStartOfDay(ZONE).toInstant().toEpochMilli());
                for (Map.Entry<String, Long> w : windows.entrySet()) {
                    for (String m : measures) {
                        counts.merge(
                                table + w.getKey() + " " + w.getValue() + " " + dims + " " + m,
                                1L,
                                Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Creation and first dispatch of a ticket, from the JSON lines. */
    private static final class Lifecycle {
        long created;
        Long firstDispatch;
    }

    private static Map<String, Lifecycle> lifecycles(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Lifecycle> out = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode e = json.readTree(line);
                if (!e.get("kind").asText().equals("ticket")) {
                    continue;
                }
                Lifecycle l = out.computeIfAbsent(e.get("ticketId").asText(), k -> new Lifecycle());
                long t = e.get("eventTime").asLong();
                switch (e.get("type").asText()) {
                    case "CREATED" -> l.created = t;
                    case "DISPATCHED" -> {
                        if (l.firstDispatch == null || t < l.firstDispatch) {
                            l.firstDispatch = t;
                        }
                    }
                    default -> {}
                }
            }
        }
        return out;
    }

    /** Equality of two count maps, reporting the first differences per table. */
    private static void assertSameCounts(Map<String, Long> actual, Map<String, Long> expected) {
        Set<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        Map<String, List<String>> byTable = new TreeMap<>();
        int differing = 0;
        for (String key : keys) {
            if (!Objects.equals(actual.get(key), expected.get(key))) {
                differing++;
                List<String> l =
                        byTable.computeIfAbsent(
                                key.substring(0, key.indexOf(' ')), k -> new ArrayList<>());
                if (l.size() < 4) {
                    l.add(key + ": table " + actual.get(key) + ", oracle " + expected.get(key));
                }
            }
        }
        assertThat(byTable)
                .as("%d of %d count entries differ from the oracle", differing, keys.size())
                .isEmpty();
    }
}
