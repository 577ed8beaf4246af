package io.citypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.notify.NotifierJob;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.testutils.TestReceiver;
import io.citypulse.testutils.TestReceiver.Reply;
import io.citypulse.tools.simulate.Simulate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole alert path on the real services: a simulated city with one injected surge goes into
 * real Kafka, {@link AlertJob} runs bounded (RocksDB, checkpoints) into real Kafka {@code alerts}
 * and the real ClickHouse engine, then {@link NotifierJob} delivers every alert record to a local
 * HTTP receiver that fails, hangs past the timeout and answers slowly on first attempts.
 *
 * <p>The expectations come from the domain and the injected truth, not from a previous run: the
 * surge (WATER city-wide, x6 for 3 hours on the third day, after two calm days) must be found,
 * opened once, within 15 minutes; ClickHouse must hold the newest revision of every alert in Kafka;
 * the malformed records must be dead letters; and the receiver, deduplicating by the idempotency
 * key, must have processed each alert record exactly once.
 */
class AlertPipelineITCase {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir Path tmp;

    @Test
    @Timeout(600)
    void shouldDetectTheSurgeStoreEveryAlertAndDeliverEachRecordOnce() throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase clickHouse = ClickHouseTestDatabase.create("it_alerts");
                TestReceiver receiver = new TestReceiver()) {
            String tickets = kafka.create("it-al-tickets", 2);
            String leads = kafka.create("it-al-leads", 2);
            String alerts = kafka.create("it-al-alerts", 1);
            String deadLetters = kafka.create("it-al-dead-letters", 1);
            String deliveries = kafka.create("it-al-deliveries", 1);
            String failures = kafka.create("it-al-failures", 1);

            long surgeStart =
                    ZonedDateTime.of(2026, 10, 7, 9, 0, 0, 0, ZONE).toInstant().toEpochMilli();
            Path incidents = tmp.resolve("incidents.yaml");
            Files.writeString(
                    incidents,
                    String.join(
                            "\n",
                            "incidents:",
                            "  - id: water-main",
                            "    category: WATER",
                            "    start: 2026-10-07T09:00",
                            "    duration: 3h",
                            "    multiplier: 6",
                            ""));
            int rc =
                    Simulate.run(
                            new String[] {
                                "--start", "2026-10-05",
                                "--days", "3",
                                "--seed", "11",
                                "--incidents", incidents.toString(),
                                "--malformed", "0.0005",
                                "--duplicates", "0.01",
                                "--bootstrap", kafka.bootstrap(),
                                "--tickets-topic", tickets,
                                "--leads-topic", leads
                            },
                            Map.of(),
                            System.out,
                            System.err);
            assertThat(rc).isZero();

            AlertJob.main(
                    new String[] {
                        "--bounded",
                        "--bootstrap",
                        kafka.bootstrap(),
                        "--tickets-topic",
                        tickets,
                        "--leads-topic",
                        leads,
                        "--alerts-topic",
                        alerts,
                        "--dead-letter-topic",
                        deadLetters,
                        "--group-id",
                        "it-alerts",
                        "--clickhouse-url",
                        clickHouse.settings().url(),
                        "--clickhouse-database",
                        clickHouse.name(),
                        "--warmup",
                        "1d",
                        "-Dstate.backend.type=rocksdb",
                        "-Dexecution.checkpointing.interval=2s",
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("cp-alerts").toUri(),
                        "-Dparallelism.default=2",
                        "-Drestart-strategy.type=none"
                    });

            // Kafka: every record of every alert, in order per alert.
            AvroCodec<HotspotAlert> codec = AvroCodec.forType(HotspotAlert.class);
            List<HotspotAlert> records = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : kafka.readAll(alerts)) {
                records.add(codec.decode(r.value()));
            }
            List<HotspotAlert> water =
                    records.stream()
                            .filter(a -> a.getState() == AlertState.OPENED)
                            .filter(a -> a.getCategoryMajor().equals("WATER"))
                            .filter(a -> a.getCategoryCode() == null && a.getDistrict() == null)
                            .toList();
            assertThat(water).as("the surge opens one WATER alert").hasSize(1);
            long delay = water.get(0).getOpenedAt().toEpochMilli() - surgeStart;
            assertThat(delay).isBetween(0L, Duration.ofMinutes(15).toMillis());

            // One OPENED per alert id, revisions 0..n without gaps or repeats.
            Map<String, List<Integer>> revisions = new HashMap<>();
            for (HotspotAlert a : records) {
                revisions
                        .computeIfAbsent(a.getAlertId(), k -> new ArrayList<>())
                        .add(a.getRevision());
            }
            for (Map.Entry<String, List<Integer>> e : revisions.entrySet()) {
                List<Integer> revs = e.getValue();
                for (int i = 0; i < revs.size(); i++) {
                    assertThat(revs.get(i)).as("revision %d of %s", i, e.getKey()).isEqualTo(i);
                }
            }

            // ClickHouse: the newest revision of every alert, nothing else.
            Map<String, Integer> newest = new HashMap<>();
            revisions.forEach((id, revs) -> newest.put(id, revs.get(revs.size() - 1)));
            Map<String, Integer> stored = new HashMap<>();
            for (Map<String, Object> row :
                    clickHouse.query("SELECT alert_id, revision FROM alerts FINAL")) {
                stored.put((String) row.get("alert_id"), ((Number) row.get("revision")).intValue());
            }
            assertThat(stored).isEqualTo(newest);
            assertThat(
                            clickHouse.queryLong(
                                    "SELECT count() FROM case_category_weekly FINAL"
                                            + " WHERE category_major = 'WATER'"))
                    .isEqualTo(1);
            // Citizen data never reaches the tables: the evidence is items, streets, agencies.
            assertThat(
                            clickHouse.queryLong(
                                    "SELECT count() FROM alerts FINAL WHERE summary_zh = ''"
                                            + " OR summary_en = ''"))
                    .isZero();

            // Malformed records are dead letters with a reason.
            assertThat(kafka.readAll(deadLetters)).isNotEmpty();
            assertThat(
                            clickHouse.queryLong(
                                    "SELECT count() FROM rejected_events FINAL"
                                            + " WHERE job = 'alerts' AND reason = 'NOT_SINGLE_OBJECT'"))
                    .isPositive();

            // Delivery: a receiver that fails, hangs and dawdles on each key's first attempt.
            receiver.route(
                    "/hook",
                    r -> {
                        if (r.attemptOfKey() > 1) {
                            return Reply.ok();
                        }
                        return switch (Math.floorMod(r.key().hashCode(), 4)) {
                            case 0 -> Reply.status(503);
                            case 1 -> Reply.ok().after(Duration.ofSeconds(3)); // past the timeout
                            case 2 -> Reply.ok().after(Duration.ofMillis(400)); // slow but in time
                            default -> Reply.ok();
                        };
                    });
            Files.writeString(tmp.resolve("hook.secret"), "it-secret\n");
            Path subscriptions = tmp.resolve("subscriptions.yaml");
            Files.writeString(
                    subscriptions,
                    String.join(
                            "\n",
                            "subscribers:",
                            "  - name: city-ops",
                            "    endpoint: " + receiver.url("/hook"),
                            "    format: webhook",
                            "    secretFile: hook.secret",
                            ""));
            NotifierJob.main(
                    new String[] {
                        "--bounded",
                        "--bootstrap",
                        kafka.bootstrap(),
                        "--alerts-topic",
                        alerts,
                        "--dead-letter-topic",
                        deadLetters,
                        "--failures-topic",
                        failures,
                        "--deliveries-topic",
                        deliveries,
                        "--group-id",
                        "it-alerts-notifier",
                        "--subscriptions",
                        subscriptions.toString(),
                        "--max-attempts",
                        "5",
                        "--initial-backoff",
                        "10ms",
                        "--max-backoff",
                        "100ms",
                        "--request-timeout",
                        "1s",
                        "-Dparallelism.default=2",
                        "-Dexecution.checkpointing.interval=500ms",
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("cp-notifier").toUri(),
                        "-Drestart-strategy.type=none"
                    });
            Set<String> keys = new HashSet<>();
            for (HotspotAlert a : records) {
                keys.add(a.getAlertId() + ":" + a.getState() + ":" + a.getRevision());
            }
            assertThat(keys).hasSize(records.size());
            assertThat(receiver.processed("/hook"))
                    .as("each record processed once")
                    .isEqualTo(keys);
            assertThat(receiver.requests("/hook").size())
                    .as("first attempts failed for some keys, so there were retries")
                    .isGreaterThan(keys.size());
            assertThat(kafka.readAll(failures)).as("no delivery given up").isEmpty();
        }
    }
}
