package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.common.Args;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifierConfigTest {

    @TempDir Path dir;
    private Path subscriptions;

    @BeforeEach
    void writeSubscriptions() throws Exception {
        subscriptions = dir.resolve("subs.yaml");
        Files.writeString(
                subscriptions,
                "subscribers:\n  - name: a\n    endpoint: http://127.0.0.1:9/x\n"
                        + "    format: webhook\n    secretEnv: A_SECRET\n");
    }

    private NotifierConfig parse(String... argv) {
        return NotifierConfig.from(Args.parse(argv, Map.of()), Map.of("A_SECRET", "topsecret"));
    }

    @Test
    void shouldHaveDefaultsForEveryOption() {
        NotifierConfig c = parse("--subscriptions", subscriptions.toString());
        assertThat(c.alertsTopic()).isEqualTo("alerts");
        assertThat(c.groupId()).isEqualTo("citypulse-notifier");
        assertThat(c.deliveriesTopic()).isEqualTo("notify-deliveries");
        assertThat(c.failuresTopic()).isEqualTo("notify-failures");
        assertThat(c.deadLetterTopic()).isEqualTo("dead-letters");
        assertThat(c.bounded()).isFalse();
        DeliverySettings d = c.delivery();
        assertThat(d.maxAttempts()).isEqualTo(8);
        assertThat(d.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.perEndpointConcurrency()).isEqualTo(4);
        assertThat(c.subscribers()).hasSize(1);
        assertThat(c.toString()).doesNotContain("topsecret");
    }

    @Test
    void shouldKeepTheAsyncTimeoutAboveTheWholeRetryBudget() {
        DeliverySettings d = parse("--subscriptions", subscriptions.toString()).delivery();
        // 8 attempts of 10 s and 7 waits of at most 5 min, even without any permit queueing.
        Duration plain = Duration.ofSeconds(10).multipliedBy(8).plus(Duration.ofMinutes(35));
        assertThat(d.retryBudget()).isGreaterThan(plain);
        assertThat(d.asyncTimeout()).isGreaterThan(d.retryBudget());
    }

    @Test
    void shouldReadOptionsAndRefuseUnknownOrInvalidOnes() {
        NotifierConfig c =
                parse(
                        "--bounded",
                        "--subscriptions",
                        subscriptions.toString(),
                        "--alerts-topic",
                        "al",
                        "--max-attempts",
                        "3",
                        "--initial-backoff",
                        "10ms",
                        "--max-backoff",
                        "50ms",
                        "--request-timeout",
                        "500ms",
                        "--per-endpoint-concurrency",
                        "2",
                        "-Dparallelism.default=2");
        assertThat(c.bounded()).isTrue();
        assertThat(c.alertsTopic()).isEqualTo("al");
        assertThat(c.delivery().maxAttempts()).isEqualTo(3);
        assertThat(c.delivery().maxBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.delivery().perEndpointConcurrency()).isEqualTo(2);
        assertThat(c.flinkSettings()).containsEntry("parallelism.default", "2");

        assertThatThrownBy(() -> parse()).hasMessageContaining("--subscriptions FILE is required");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--subscriptions",
                                        subscriptions.toString(),
                                        "--max-atempts",
                                        "3"))
                .hasMessageContaining("unknown option(s): --max-atempts");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--subscriptions",
                                        subscriptions.toString(),
                                        "--max-attempts",
                                        "0"))
                .hasMessageContaining("--max-attempts must be at least 1");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--subscriptions",
                                        subscriptions.toString(),
                                        "--initial-backoff",
                                        "10m"))
                .hasMessageContaining("--initial-backoff must not exceed --max-backoff");
    }
}
