package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.testutils.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * A crash and failover, end to end on the real Kafka broker and ClickHouse engine, on a Flink
 * MiniCluster: HotspotJob and SlaJob (their real {@code main}, RocksDB, checkpoints every 10 s, a
 * restart strategy) read the first half of a simulated city until a checkpoint holds it; then the
 * rest arrives, and as soon as the jobs have written rows from it to ClickHouse, before the next
 * checkpoint, their TaskManager is terminated and a new one started. Flink restarts both jobs from
 * their latest checkpoint: their Kafka sources rewind, the records after it are read and counted
 * again, and the rows already written from them are written again.
 *
 * <ul>
 *   <li>Nothing is lost or counted twice: every row of the six count tables equals the counts
 *       recomputed from the simulator's JSON lines, including the windows open at the crash (their
 *       counts came back from the checkpoint, their closing timers, kept on the operators' heap and
 *       not in the checkpoint, were set again from the state).
 *   <li>{@code sla_breaches} and {@code agency_daily} equal the tables of an uninterrupted run over
 *       the same input (deadlines set before the crash and passed after it are reported once).
 * </ul>
 *
 * Checked too: the crash came while the jobs had read records no completed checkpoint held (their
 * consumer groups' offsets, committed when a checkpoint completes, short of the end), and each job
 * was restored from a checkpoint, not a savepoint.
 */
class FailoverITCase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z"); // 08:00 local
    private static final Instant SPLIT = START.plus(Duration.ofHours(3)).plusSeconds(17 * 60);

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRun.miniCluster();

    @TempDir Path tmp;

    @Test
    @Timeout(900)
    void shouldNeitherLoseNorRepeatAnythingWhenTheTaskManagerDies(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase crashed = ClickHouseTestDatabase.create("it_failover");
                ClickHouseTestDatabase reference = ClickHouseTestDatabase.create("it_fail_ref")) {
            CityTopics topics =
                    new CityTopics(
                            kafka.create("it-fail-tickets", 2),
                            kafka.create("it-fail-leads", 2),
                            kafka.create("it-fail-dead-letters", 1));
            Path jsonl = tmp.resolve("events.jsonl");
            SimulatedCity city = SimulatedCity.simulate(kafka, "it-fail", START, 6, 23, jsonl);

            // The first half, until a completed checkpoint holds all of it.
            city.produce(kafka, topics, SPLIT, true);
            List<JobRun> runs =
                    List.of(
                            JobRun.startHotspotOrSla(
                                    client, "hotspot", restarting(topics, "hotspot", crashed)),
                            JobRun.startHotspotOrSla(
                                    client, "sla", restarting(topics, "sla", crashed)));
            for (JobRun run : runs) {
                run.awaitCaughtUp(kafka.bootstrap(), topics.of(run.name()));
            }

            // The rest; the crash once rows from it are in ClickHouse.
            city.produce(kafka, topics, SPLIT, false);
            String afterSplit =
                    "SELECT count() FROM ticket_counts_5m WHERE toUnixTimestamp64Milli(window_start)"
                            + " >= "
                            + SPLIT.toEpochMilli();
            Poll.until(
                    Duration.ofSeconds(60),
                    Duration.ofMillis(50),
                    "rows from the second half in ClickHouse",
                    () -> crashed.queryLong(afterSplit) > 0);
            for (JobRun run : runs) {
                assertThat(run.isCaughtUp(kafka.bootstrap(), topics.of(run.name())))
                        .as("%s: no completed checkpoint holds the whole input yet", run.name())
                        .isFalse();
            }
            cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
            cluster.startTaskManager();

            for (JobRun run : runs) {
                run.awaitCaughtUp(kafka.bootstrap(), topics.of(run.name()));
                run.stop(client, tmp.resolve("savepoints"), true);
                RestoredCheckpointStats restored = run.restoredFrom(cluster);
                assertThat(restored).as("%s restored after the crash", run.name()).isNotNull();
                assertThat(restored.getProperties().isSavepoint())
                        .as("%s restored from a checkpoint", run.name())
                        .isFalse();
            }

            // The reference: SlaJob uninterrupted over the whole input.
            JobRun uninterrupted =
                    JobRun.startHotspotOrSla(
                            client, "sla", topics.args("sla", reference, "it-failover-ref", 2));
            uninterrupted.awaitCaughtUp(kafka.bootstrap(), topics.of("sla"));
            uninterrupted.stop(client, tmp.resolve("savepoints"), true);
            assertThat(uninterrupted.restoredFrom(cluster)).isNull();

            Map<String, Long> expected = CountTables.oracle(jsonl, ZONE);
            assertThat(expected).hasSizeGreaterThan(500);
            CountTables.assertSame(CountTables.in(crashed), expected);

            String breaches = "SELECT * EXCEPT (version) FROM %s.sla_breaches FINAL ORDER BY ALL";
            assertThat(crashed.query(breaches.formatted(crashed.name())))
                    .as("sla_breaches after the crash = of an uninterrupted run")
                    .isEqualTo(reference.query(breaches.formatted(reference.name())))
                    .isNotEmpty();
            String daily = "SELECT * EXCEPT (version) FROM %s.agency_daily FINAL ORDER BY ALL";
            assertThat(crashed.query(daily.formatted(crashed.name())))
                    .as("agency_daily after the crash = of an uninterrupted run")
                    .isEqualTo(reference.query(daily.formatted(reference.name())))
                    .isNotEmpty();
        }
    }

    /**
     * The job's arguments with checkpoints every 10 s (the crash comes between two) and restarts
     * (Flink's default would be none without checkpointing configured by the cluster).
     */
    private static List<String> restarting(
            CityTopics topics, String job, ClickHouseTestDatabase db) {
        List<String> a = topics.args(job, db, "it-failover", 2);
        a.set(
                a.indexOf("-Dexecution.checkpointing.interval=1s"),
                "-Dexecution.checkpointing.interval=10s");
        a.set(a.indexOf("-Drestart-strategy.type=none"), "-Drestart-strategy.type=fixed-delay");
        a.addAll(
                List.of(
                        "-Drestart-strategy.fixed-delay.attempts=10",
                        "-Drestart-strategy.fixed-delay.delay=1s",
                        "--sink-flush-interval",
                        "200ms"));
        return a;
    }
}
