package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertScope;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.testutils.TestReceiver;
import io.citypulse.testutils.TestReceiver.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NotifierJob end to end: alert records in a real Kafka topic (two partitions, one malformed
 * record), the job run bounded through {@code main} in a local embedded Flink (parallelism 2,
 * checkpoints), and real HTTP receivers on 127.0.0.1 that fail, hang past the request timeout,
 * answer slowly, or always fail, and that process each Idempotency-Key once.
 */
class NotifierJobITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CATEGORIES = {"NOISE", "TRAFFIC", "HOUSING"};
    private static final String[] DISTRICTS = {"Futian", "Nanshan", null};
    private static final int MAX_ATTEMPTS = 3;

    @TempDir Path tmp;

    @Test
    @Timeout(300)
    void shouldDeliverEveryMatchingAlertRecordOnceToEachSubscriberDespiteAFlakyReceiver()
            throws Exception {
        List<HotspotAlert> alerts = alerts();
        assertThat(alerts).hasSize(32);

        try (KafkaTestTopics kafka = new KafkaTestTopics();
                TestReceiver receiver = new TestReceiver()) {
            String alertsTopic = kafka.create("it-alerts", 2);
            String deadLetters = kafka.create("it-dead-letters", 1);
            String failures = kafka.create("it-notify-failures", 1);
            String deliveries = kafka.create("it-notify-deliveries", 1);
            produce(kafka.bootstrap(), alertsTopic, alerts);

            // Per key, first attempt: 500, a hang past the 1 s request timeout, a slow answer
            // or OK; every later attempt: OK.
            receiver.route(
                    "/ops",
                    r -> {
                        if (r.attemptOfKey() > 1) {
                            return Reply.ok();
                        }
                        return switch (Math.floorMod(r.key().hashCode(), 4)) {
                            case 0 -> Reply.status(500);
                            case 1 -> Reply.ok().after(Duration.ofSeconds(3));
                            case 2 -> Reply.ok().after(Duration.ofMillis(300));
                            default -> Reply.ok();
                        };
                    });
            receiver.route(
                    "/futian/robot/send",
                    r ->
                            r.attemptOfKey() == 1 && Math.floorMod(r.key().hashCode(), 3) == 0
                                    ? Reply.status(502)
                                    : Reply.ok());
            receiver.route("/broken", r -> Reply.status(500));
            receiver.route("/never", r -> Reply.ok());

            Files.writeString(tmp.resolve("ops.secret"), "ops-secret\n");
            Files.writeString(tmp.resolve("ding.secret"), "SECfutian\n");
            Files.writeString(tmp.resolve("other.secret"), "other\n");
            Path subscriptions = tmp.resolve("subscriptions.yaml");
            Files.writeString(
                    subscriptions,
                    String.join(
                            "\n",
                            "subscribers:",
                            "  - name: ops",
                            "    endpoint: " + receiver.url("/ops"),
                            "    format: webhook",
                            "    secretFile: ops.secret",
                            "    categories: [NOISE]",
                            "  - name: futian",
                            "    endpoint: " + receiver.url("/futian/robot/send?access_token=t"),
                            "    format: dingtalk",
                            "    secretFile: ding.secret",
                            "    districts: [Futian]",
                            "    includeCityWide: false",
                            "    levels: [SPIKE]",
                            "  - name: broken",
                            "    endpoint: " + receiver.url("/broken"),
                            "    format: webhook",
                            "    secretFile: other.secret",
                            "    categories: [TRAFFIC]",
                            "    states: [OPENED]",
                            "  - name: never",
                            "    endpoint: " + receiver.url("/never"),
                            "    format: webhook",
                            "    secretFile: other.secret",
                            "    categories: [WATER]",
                            ""));

            NotifierJob.main(
                    new String[] {
                        "--bounded",
                        "--bootstrap",
                        kafka.bootstrap(),
                        "--alerts-topic",
                        alertsTopic,
                        "--dead-letter-topic",
                        deadLetters,
                        "--failures-topic",
                        failures,
                        "--deliveries-topic",
                        deliveries,
                        "--group-id",
                        "it-notifier",
                        "--subscriptions",
                        subscriptions.toString(),
                        "--max-attempts",
                        Integer.toString(MAX_ATTEMPTS),
                        "--initial-backoff",
                        "10ms",
                        "--max-backoff",
                        "50ms",
                        "--request-timeout",
                        "1s",
                        "--per-endpoint-concurrency",
                        "2",
                        "-Dparallelism.default=2",
                        "-Dexecution.checkpointing.interval=500ms",
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("checkpoints").toUri(),
                        "-Drestart-strategy.type=none"
                    });

            Set<String> opsKeys = keys(alerts, a -> a.getCategoryMajor().equals("NOISE"));
            Set<String> futianKeys =
                    keys(
                            alerts,
                            a ->
                                    "Futian".equals(a.getDistrict())
                                            && a.getLevel() == AlertLevel.SPIKE);
            Set<String> brokenKeys =
                    keys(
                            alerts,
                            a ->
                                    a.getCategoryMajor().equals("TRAFFIC")
                                            && a.getState() == AlertState.OPENED);
            assertThat(opsKeys).hasSize(13);
            assertThat(futianKeys).hasSize(9);
            assertThat(brokenKeys).hasSize(3);

            // Every matching record reached each subscriber; the deduplicating receiver processed
            // each key once, the raw requests include the retries.
            assertThat(receiver.processed("/ops")).isEqualTo(opsKeys);
            assertThat(receiver.requests("/ops").size()).isGreaterThan(opsKeys.size());
            assertThat(receiver.processed("/futian/robot/send")).isEqualTo(futianKeys);
            assertThat(receiver.requests("/futian/robot/send").size())
                    .isGreaterThan(futianKeys.size());
            assertThat(receiver.requests("/never")).isEmpty();
            assertThat(receiver.requests("/broken")).hasSize(brokenKeys.size() * MAX_ATTEMPTS);

            for (TestReceiver.Request r : receiver.requests("/ops")) {
                assertThat(r.header("X-CityPulse-Signature"))
                        .isEqualTo(
                                "sha256="
                                        + Signatures.hmacSha256Hex(
                                                "ops-secret".getBytes(StandardCharsets.UTF_8),
                                                r.body().getBytes(StandardCharsets.UTF_8)));
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.get("idempotencyKey").asText()).isEqualTo(r.key());
                assertThat(body.get("subscriber").asText()).isEqualTo("ops");
            }
            for (TestReceiver.Request r : receiver.requests("/futian/robot/send")) {
                Map<String, String> q = query(r.query());
                assertThat(q.get("sign"))
                        .isEqualTo(
                                Signatures.dingTalkSign(
                                        Long.parseLong(q.get("timestamp")),
                                        new Secret("SECfutian")));
                assertThat(JSON.readTree(r.body()).get("markdown").get("text").asText())
                        .contains("福田");
            }

            // Deliveries given up on: one FailedDelivery per (record, subscriber), all attempts.
            List<JsonNode> failed = json(kafka.readAll(failures));
            assertThat(failed).hasSize(brokenKeys.size());
            assertThat(failed.stream().map(f -> f.get("idempotencyKey").asText()))
                    .containsExactlyInAnyOrderElementsOf(brokenKeys);
            for (JsonNode f : failed) {
                assertThat(f.get("subscriber").asText()).isEqualTo("broken");
                assertThat(f.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
                assertThat(f.get("lastStatus").asInt()).isEqualTo(500);
                assertThat(f.get("lastReason").asText()).isEqualTo("HTTP 500");
                assertThat(f.get("endpoint").asText()).endsWith("/broken").doesNotContain("?");
                assertThat(f.get("failedAt").asLong()).isPositive();
            }

            // The audit trail of successful deliveries.
            List<JsonNode> delivered = json(kafka.readAll(deliveries));
            assertThat(delivered).hasSize(opsKeys.size() + futianKeys.size());
            assertThat(delivered)
                    .allSatisfy(d -> assertThat(d.get("delivered").asBoolean()).isTrue());
            assertThat(
                            delivered.stream()
                                    .filter(d -> d.get("subscriber").asText().equals("futian"))
                                    .map(d -> d.get("endpoint").asText()))
                    .allSatisfy(e -> assertThat(e).doesNotContain("access_token"));

            // The malformed record is a dead letter with its reason.
            AvroCodec<DeadLetter> codec = AvroCodec.forType(DeadLetter.class);
            List<ConsumerRecord<byte[], byte[]>> letters = kafka.readAll(deadLetters);
            assertThat(letters).hasSize(1);
            DeadLetter letter = codec.decode(letters.get(0).value());
            assertThat(letter.getReason()).isEqualTo("NOT_SINGLE_OBJECT");
            assertThat(letter.getJob()).isEqualTo("notifier");
            assertThat(letter.getSourceTopic()).isEqualTo(alertsTopic);
        }
    }

    /**
     * Eight alert episodes over three categories and three districts (or city-wide): even ones go
     * OPENED, UPDATED, UPDATED, ESCALATED to CASE_CATEGORY, RESOLVED; odd ones OPENED, UPDATED,
     * RESOLVED as SPIKEs.
     */
    private static List<HotspotAlert> alerts() {
        List<HotspotAlert> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String category = CATEGORIES[i % 3];
            String district = DISTRICTS[i / 3];
            List<AlertState> states =
                    i % 2 == 0
                            ? List.of(
                                    AlertState.OPENED,
                                    AlertState.UPDATED,
                                    AlertState.UPDATED,
                                    AlertState.ESCALATED,
                                    AlertState.RESOLVED)
                            : List.of(AlertState.OPENED, AlertState.UPDATED, AlertState.RESOLVED);
            boolean caseCategory = false;
            for (int revision = 0; revision < states.size(); revision++) {
                AlertState state = states.get(revision);
                caseCategory |= state == AlertState.ESCALATED;
                out.add(
                        Alerts.noiseInFutian()
                                .setAlertId("it-" + i + "-" + category + "-" + district)
                                .setCategoryMajor(category)
                                .setDistrict(district)
                                .setScope(
                                        district == null
                                                ? AlertScope.CATEGORY
                                                : AlertScope.DISTRICT)
                                .setState(state)
                                .setRevision(revision)
                                .setLevel(
                                        caseCategory ? AlertLevel.CASE_CATEGORY : AlertLevel.SPIKE)
                                .setEventTime(Alerts.TEN_AM.plusSeconds(300L * revision))
                                .setSummaryZh(
                                        (district == null
                                                        ? "全市"
                                                        : district.equals("Futian") ? "福田区" : "南山区")
                                                + category
                                                + " 告警")
                                .build());
            }
        }
        return out;
    }

    private static Set<String> keys(List<HotspotAlert> alerts, Predicate<HotspotAlert> matches) {
        return alerts.stream()
                .filter(matches)
                .map(
                        a ->
                                Delivery.idempotencyKey(
                                        a.getAlertId(), a.getState().name(), a.getRevision()))
                .collect(Collectors.toSet());
    }

    private static void produce(String bootstrap, String topic, List<HotspotAlert> alerts)
            throws Exception {
        AvroCodec<HotspotAlert> codec = AvroCodec.forType(HotspotAlert.class);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < alerts.size(); i++) {
                HotspotAlert a = alerts.get(i);
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        a.getAlertId().getBytes(StandardCharsets.UTF_8),
                                        codec.encode(a)))
                        .get();
                if (i == alerts.size() / 2) {
                    producer.send(
                                    new ProducerRecord<>(
                                            topic,
                                            "garbage".getBytes(StandardCharsets.UTF_8),
                                            "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
        }
    }

    private static List<JsonNode> json(List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        for (String p : raw.split("&")) {
            String[] kv = p.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }
}
