package io.citypulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.alerts.AlertJob;
import io.citypulse.common.Args;
import io.citypulse.sla.SlaJob;
import io.citypulse.testutils.KafkaTestTopics;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start-up topic check against the real broker: topics that exist pass, missing ones are named
 * with their options in one message, and a job's {@code main} stops with it before it builds a
 * pipeline.
 */
class KafkaTopicsITCase {

    private static KafkaTestTopics topics;
    private static String existing;

    @BeforeAll
    static void setUp() throws Exception {
        topics = new KafkaTestTopics();
        existing = topics.create("topic-check", 1);
    }

    @AfterAll
    static void tearDown() throws Exception {
        topics.close();
    }

    private static String absent() {
        return "never-created-" + UUID.randomUUID();
    }

    private static KafkaSettings kafka() {
        return new KafkaSettings(topics.bootstrap(), new Properties());
    }

    @Test
    void shouldPassWhenEveryTopicExists() {
        assertThatCode(
                        () ->
                                KafkaTopics.requireExisting(
                                        kafka(),
                                        "--tickets-topic",
                                        existing,
                                        "--leads-topic",
                                        existing))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldNameEveryMissingTopicWithItsOptionAndNoOther() {
        String alerts = absent();
        String deadLetters = absent();
        assertThatThrownBy(
                        () ->
                                KafkaTopics.requireExisting(
                                        kafka(),
                                        "--tickets-topic",
                                        existing,
                                        "--alerts-topic",
                                        alerts,
                                        "--dead-letter-topic",
                                        deadLetters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + alerts + "' (--alerts-topic)")
                .hasMessageContaining("'" + deadLetters + "' (--dead-letter-topic)")
                .hasMessageContaining(topics.bootstrap())
                .hasMessageNotContaining(existing);
    }

    @Test
    void shouldStopAJobAtStartUpWhenItsAlertsTopicIsMissing() {
        String alerts = absent();
        assertThatThrownBy(
                        () ->
                                AlertJob.main(
                                        new String[] {
                                            "--bootstrap", topics.bootstrap(),
                                            "--tickets-topic", existing,
                                            "--leads-topic", existing,
                                            "--alerts-topic", alerts,
                                            "--dead-letter-topic", existing
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + alerts + "' (--alerts-topic)");
    }

    @Test
    void shouldStopABoundedReplayOfAMissingTopicInsteadOfReadingNothing() {
        String tickets = absent();
        assertThatThrownBy(
                        () ->
                                SlaJob.main(
                                        new String[] {
                                            "--bootstrap",
                                            topics.bootstrap(),
                                            "--bounded",
                                            "--tickets-topic",
                                            tickets,
                                            "--dead-letter-topic",
                                            existing
                                        }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + tickets + "' (--tickets-topic)");
    }

    @Test
    void shouldNotLookWhenToldNotTo() {
        KafkaSettings unchecked = new KafkaSettings(topics.bootstrap(), new Properties(), false);
        assertThatCode(() -> KafkaTopics.requireExisting(unchecked, "--tickets-topic", absent()))
                .doesNotThrowAnyException();
        assertThat(
                        KafkaSettings.from(
                                        Args.parse(new String[] {"--no-topic-check"}, Map.of()),
                                        Map.of())
                                .checkTopics())
                .isFalse();
        assertThat(KafkaSettings.from(Args.parse(new String[0], Map.of()), Map.of()).checkTopics())
                .isTrue();
    }

    @Test
    void shouldRefuseAnOptionWithoutItsTopic() {
        assertThatThrownBy(() -> KafkaTopics.requireExisting(kafka(), "--tickets-topic"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
