package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
            CityTopics topics =
                    new CityTopics(
                            kafka.create("it-upg-tickets", 2),
                            kafka.create("it-upg-leads", 2),
                            kafka.create("it-upg-dead-letters", 1));
            Path jsonl = tmp.resolve("events.jsonl");
            SimulatedCity city = SimulatedCity.simulate(kafka, "it-upg", START, HOURS, 11, jsonl);

            // v1 on the first part of the input, stopped with a savepoint.
            city.produce(kafka, topics, UPGRADE, true);
            Map<String, String> savepoints = new TreeMap<>();
            List<JobRun> v1 =
                    List.of(
                            JobRun.startHotspotOrSla(
                                    client,
                                    "hotspot",
                                    topics.args("hotspot", upgraded, "it-upgrade-v", 2)),
                            JobRun.startHotspotOrSla(
                                    client,
                                    "sla",
                                    topics.args("sla", upgraded, "it-upgrade-v", 2)));
            for (JobRun run : v1) {
                run.awaitCaughtUp(kafka.bootstrap(), topics.of(run.name()));
                savepoints.put(run.name(), run.stop(client, tmp.resolve("savepoints"), false));
            }

            // The rest of the input; the newer build from the savepoints, drained at the end.
            city.produce(kafka, topics, UPGRADE, false);
            List<JobRun> v2 = new ArrayList<>();
            for (String job : List.of("hotspot", "sla")) {
                List<String> a = topics.args(job, upgraded, "it-upgrade-v", 1);
                a.add("-Dexecution.state-recovery.path=" + savepoints.get(job));
                a.add("-Dpipeline.operator-chaining.enabled=false");
                v2.add(JobRun.startHotspotOrSla(client, job, a));
            }
            // The reference: SlaJob uninterrupted over the whole input.
            JobRun uninterrupted =
                    JobRun.startHotspotOrSla(
                            client, "sla", topics.args("sla", reference, "it-upgrade-ref", 2));
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
            Map<String, Long> expected = CountTables.oracle(jsonl, ZONE);
            assertThat(expected).hasSizeGreaterThan(500);
            CountTables.assertSame(CountTables.in(upgraded), expected);
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
}
