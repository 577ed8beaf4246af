package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.alerts.AlertJob;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open alerts stay open across a savepoint upgrade, end to end on the real Kafka broker and
 * ClickHouse engine, on a Flink MiniCluster: {@link AlertJob} (its real {@code main}, RocksDB,
 * checkpoints) reads a simulated city up to the middle of an injected surge (32 hours from 08:00: a
 * calm day that is the detector's warm-up, then WATER city-wide x6 from 09:00 to 12:00, input
 * ending at 16:00), is stopped with a savepoint while the surge's alert is open, and a "newer
 * build" (the same jar with parallelism 1 instead of 2 and operator chaining off, so every operator
 * moves) is started from the savepoint on the rest of the input and finally drained.
 *
 * <ul>
 *   <li>Before the upgrade: the surge opened exactly one WATER alert, after the surge began, and it
 *       is not resolved.
 *   <li>After it: no second OPENED (the alert stayed open); the episode's revisions continue the
 *       pre-upgrade ones (0, 1, ..., n over both runs, the first after the upgrade is the last
 *       before it plus one); it is RESOLVED once, last, no earlier than the domain allows (the
 *       surge's end plus {@code --resolve-after}); every alert record equals the record of an
 *       uninterrupted run over the same input (decisions are in event time, so an upgrade must not
 *       change one of them); ClickHouse {@code alerts} holds the newest revision of every alert,
 *       the same rows as the uninterrupted run's.
 * </ul>
 *
 * Had the state not been restored, the newer build would resume from the committed offsets with
 * empty state: no baselines (nothing would be tested before another day of warm-up), no open
 * episode, so the surge's alert would never be resolved nor updated again.
 */
class AlertUpgradeITCase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDateTime SURGE_LOCAL = LocalDateTime.parse("2026-10-06T09:00");
    private static final Instant SURGE_START = SURGE_LOCAL.atZone(ZONE).toInstant();
    private static final Duration SURGE_LENGTH = Duration.ofHours(3);
    private static final Duration RESOLVE_AFTER = Duration.ofHours(1);
    private static final Duration UPDATE_EVERY = Duration.ofHours(1);

    /**
     * The upgrade, 107 minutes into the 3-hour surge: after the alert's first UPDATED (it opens in
     * the surge's first 45 minutes and is re-announced every hour), long before its end.
     */
    private static final Instant UPGRADE = SURGE_START.plus(Duration.ofMinutes(107));

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = JobRun.miniCluster();

    @TempDir Path tmp;

    @Test
    @Timeout(600)
    void shouldKeepTheOpenAlertOpenAndResolveItAfterASavepointUpgrade(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase upgraded = ClickHouseTestDatabase.create("it_alup");
                ClickHouseTestDatabase reference = ClickHouseTestDatabase.create("it_alup_ref")) {
            String simTickets = kafka.create("it-alup-sim-tickets", 1);
            String simLeads = kafka.create("it-alup-sim-leads", 1);
            String tickets = kafka.create("it-alup-tickets", 2);
            String leads = kafka.create("it-alup-leads", 2);
            String deadLetters = kafka.create("it-alup-dead-letters", 1);
            String alerts = kafka.create("it-alup-alerts", 1);
            String referenceAlerts = kafka.create("it-alup-ref-alerts", 1);
            Path incidents = tmp.resolve("incidents.yaml");
            Files.writeString(
                    incidents,
                    String.join(
                            "\n",
                            "incidents:",
                            "  - id: water-main",
                            "    category: WATER",
                            "    start: " + SURGE_LOCAL,
                            "    duration: " + SURGE_LENGTH.toHours() + "h",
                            "    multiplier: 6",
                            ""));
            int rc =
                    Simulate.run(
                            new String[] {
                                "--start",
                                "2026-10-05T08:00",
                                "--hours",
                                "32",
                                "--seed",
                                "11",
                                "--scale",
                                "0.25",
                                "--incidents",
                                incidents.toString(),
                                "--bootstrap",
                                kafka.bootstrap(),
                                "--tickets-topic",
                                simTickets,
                                "--leads-topic",
                                simLeads
                            },
                            Map.of(),
                            System.out,
                            System.err);
            assertThat(rc).as("simulator exit code").isZero();
            List<ConsumerRecord<byte[], byte[]>> simulatedTickets = kafka.readAll(simTickets);
            List<ConsumerRecord<byte[], byte[]>> simulatedLeads = kafka.readAll(simLeads);

            // v1 on the input up to the middle of the surge, stopped with a savepoint.
            copy(kafka.bootstrap(), tickets, simulatedTickets, true);
            copy(kafka.bootstrap(), leads, simulatedLeads, true);
            Path savepoints = tmp.resolve("savepoints");
            List<String> v1Args =
                    args(kafka.bootstrap(), tickets, leads, deadLetters, alerts, upgraded, 2);
            JobRun v1 = JobRun.start(client, "alerts v1", AlertJob::main, v1Args);
            v1.awaitCaughtUp(kafka.bootstrap(), List.of(tickets, leads));
            String savepoint = v1.stop(client, savepoints, false);

            List<HotspotAlert> beforeUpgrade = decode(kafka.readAll(alerts));
            List<HotspotAlert> openedBefore = surgeOpenings(beforeUpgrade);
            assertThat(openedBefore).as("the surge's alert is open before the upgrade").hasSize(1);
            HotspotAlert opened = openedBefore.get(0);
            assertThat(opened.getOpenedAt()).isBetween(SURGE_START, UPGRADE);
            List<HotspotAlert> episodeBefore = episode(beforeUpgrade, opened.getAlertId());
            assertThat(episodeBefore)
                    .as("not resolved before the upgrade")
                    .noneMatch(a -> a.getState() == AlertState.RESOLVED);
            assertThat(opened.getOpenedAt())
                    .as("opened early enough to be updated before the upgrade")
                    .isBefore(UPGRADE.minus(UPDATE_EVERY));
            assertThat(episodeBefore)
                    .as("updated before the upgrade")
                    .anyMatch(a -> a.getState() == AlertState.UPDATED);

            // The rest of the input; the newer build from the savepoint, drained at the end.
            copy(kafka.bootstrap(), tickets, simulatedTickets, false);
            copy(kafka.bootstrap(), leads, simulatedLeads, false);
            List<String> v2Args =
                    new ArrayList<>(
                            args(
                                    kafka.bootstrap(),
                                    tickets,
                                    leads,
                                    deadLetters,
                                    alerts,
                                    upgraded,
                                    1));
            v2Args.add("-Dexecution.state-recovery.path=" + savepoint);
            v2Args.add("-Dpipeline.operator-chaining.enabled=false");
            JobRun v2 = JobRun.start(client, "alerts v2", AlertJob::main, v2Args);
            // The reference: the same job uninterrupted over the whole input.
            JobRun uninterrupted =
                    JobRun.start(
                            client,
                            "alerts reference",
                            AlertJob::main,
                            args(
                                    kafka.bootstrap(),
                                    tickets,
                                    leads,
                                    deadLetters,
                                    referenceAlerts,
                                    reference,
                                    2));
            for (JobRun run : List.of(v2, uninterrupted)) {
                run.awaitCaughtUp(kafka.bootstrap(), List.of(tickets, leads));
                run.stop(client, savepoints, true);
            }
            RestoredCheckpointStats restored = v2.restoredFrom(cluster);
            assertThat(restored).as("v2 restored from a savepoint").isNotNull();
            assertThat(restored.getExternalPath())
                    .endsWith(savepoint.substring(savepoint.lastIndexOf('/')));
            assertThat(uninterrupted.restoredFrom(cluster)).isNull();

            // The alert stayed open: no second OPENED, revisions carry on, resolved once, last.
            List<HotspotAlert> all = decode(kafka.readAll(alerts));
            List<HotspotAlert> afterUpgrade = all.subList(beforeUpgrade.size(), all.size());
            assertThat(surgeOpenings(all)).as("OPENED for the surge, both runs").hasSize(1);
            List<HotspotAlert> episode = episode(all, opened.getAlertId());
            for (int i = 0; i < episode.size(); i++) {
                assertThat(episode.get(i).getRevision()).as("revision %d", i).isEqualTo(i);
            }
            List<HotspotAlert> episodeAfter = episode(afterUpgrade, opened.getAlertId());
            assertThat(episodeAfter).as("the episode goes on after the upgrade").isNotEmpty();
            assertThat(episodeAfter.get(0).getRevision())
                    .as("first revision after the upgrade")
                    .isEqualTo(episodeBefore.get(episodeBefore.size() - 1).getRevision() + 1);
            assertThat(episodeAfter)
                    .allSatisfy(a -> assertThat(a.getOpenedAt()).isEqualTo(opened.getOpenedAt()));
            HotspotAlert last = episode.get(episode.size() - 1);
            assertThat(last.getState())
                    .as("the episode ends resolved")
                    .isEqualTo(AlertState.RESOLVED);
            assertThat(episode.stream().filter(a -> a.getState() == AlertState.RESOLVED))
                    .hasSize(1);
            // Resolving needs --resolve-after of calm, and the surge's last hour keeps the 1-hour
            // window elevated until the surge has ended; it must happen before the input ends
            // (16:00), as the 30-minute and 1-hour windows hold no surge tickets after 13:00.
            assertThat(last.getEventTime())
                    .isAfterOrEqualTo(SURGE_START.plus(SURGE_LENGTH).plus(RESOLVE_AFTER));

            // Every decision as in an uninterrupted run.
            List<HotspotAlert> referenceRecords = decode(kafka.readAll(referenceAlerts));
            assertThat(byAlert(all))
                    .as("alert records of the upgraded run = of an uninterrupted run")
                    .isEqualTo(byAlert(referenceRecords));

            // ClickHouse: the newest revision of every alert, as in the uninterrupted run.
            Map<String, Integer> newest = new TreeMap<>();
            byAlert(all)
                    .forEach(
                            (id, records) ->
                                    newest.put(id, records.get(records.size() - 1).getRevision()));
            Map<String, Integer> stored = new TreeMap<>();
            for (Map<String, Object> row :
                    upgraded.query("SELECT alert_id, revision FROM alerts FINAL")) {
                stored.put((String) row.get("alert_id"), ((Number) row.get("revision")).intValue());
            }
            assertThat(stored).isEqualTo(newest).containsKey(opened.getAlertId());
            assertThat(
                            upgraded.query(
                                    "SELECT state FROM alerts FINAL WHERE alert_id = '"
                                            + opened.getAlertId()
                                            + "'"))
                    .containsExactly(Map.of("state", "RESOLVED"));
            String table = "SELECT * FROM %s.alerts FINAL ORDER BY alert_id";
            assertThat(upgraded.query(table.formatted(upgraded.name())))
                    .as("alerts of the upgraded run = of an uninterrupted run")
                    .isEqualTo(reference.query(table.formatted(reference.name())));
        }
    }

    private static List<String> args(
            String bootstrap,
            String tickets,
            String leads,
            String deadLetters,
            String alerts,
            ClickHouseTestDatabase db,
            int parallelism) {
        return List.of(
                "--bootstrap",
                bootstrap,
                "--tickets-topic",
                tickets,
                "--leads-topic",
                leads,
                "--alerts-topic",
                alerts,
                "--dead-letter-topic",
                deadLetters,
                "--group-id",
                "it-alert-upgrade-" + db.name(),
                "--clickhouse-url",
                db.settings().url(),
                "--clickhouse-database",
                db.name(),
                "--warmup",
                "1d",
                "--update-every",
                UPDATE_EVERY.toMinutes() + "m",
                "--resolve-after",
                RESOLVE_AFTER.toMinutes() + "m",
                // The input is replayed thousands of times faster than real time: a partition
                // must not count as idle while another one is read (nor during the upgrade).
                "--idleness",
                "10m",
                "-Dstate.backend.type=rocksdb",
                "-Dexecution.checkpointing.incremental=true",
                "-Dexecution.checkpointing.interval=1s",
                "-Dparallelism.default=" + parallelism,
                "-Drestart-strategy.type=none");
    }

    /**
     * Copies the simulator's records before (or from) the upgrade instant to a job's topic, with
     * their keys and timestamps, in their order.
     */
    private static void copy(
            String bootstrap,
            String topic,
            List<ConsumerRecord<byte[], byte[]>> records,
            boolean beforeUpgrade)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if ((r.timestamp() < UPGRADE.toEpochMilli()) == beforeUpgrade) {
                    sent.add(
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, null, r.timestamp(), r.key(), r.value())));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(); // fails the test on a send error
            }
        }
    }

    private static List<HotspotAlert> decode(List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        AvroCodec<HotspotAlert> codec = AvroCodec.forType(HotspotAlert.class);
        List<HotspotAlert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    /** OPENED records of the city-wide WATER category (the surge's key). */
    private static List<HotspotAlert> surgeOpenings(List<HotspotAlert> records) {
        return records.stream()
                .filter(a -> a.getState() == AlertState.OPENED)
                .filter(a -> a.getCategoryMajor().equals("WATER"))
                .filter(a -> a.getCategoryCode() == null && a.getDistrict() == null)
                .toList();
    }

    private static List<HotspotAlert> episode(List<HotspotAlert> records, String alertId) {
        return records.stream().filter(a -> a.getAlertId().equals(alertId)).toList();
    }

    /** Every alert's records in the order written (one partition). */
    private static Map<String, List<HotspotAlert>> byAlert(List<HotspotAlert> records) {
        Map<String, List<HotspotAlert>> out = new LinkedHashMap<>();
        for (HotspotAlert a : records) {
            out.computeIfAbsent(a.getAlertId(), k -> new ArrayList<>()).add(a);
        }
        return new TreeMap<>(out);
    }
}
