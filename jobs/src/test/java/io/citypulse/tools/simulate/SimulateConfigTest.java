package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulateConfigTest {

    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void defaultsAreSixHoursFromMondayMidnightInShenzhen() throws UsageException {
        SimulateConfig config = SimulateConfig.parse(new String[0], NO_ENV);
        assertThat(config.start()).isEqualTo(Instant.parse("2026-11-01T16:00:00Z"));
        assertThat(Duration.between(config.start(), config.end())).isEqualTo(Duration.ofHours(6));
        assertThat(config.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.ticketsPerHour()).isEqualTo(500);
        assertThat(config.leadsPerDay()).isEqualTo(500);
        assertThat(config.kafka()).isTrue();
        assertThat(config.jsonl()).isNull();
        assertThat(config.bootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(config.ticketsTopic()).isEqualTo("tickets");
        assertThat(config.leadsTopic()).isEqualTo("leads");
    }

    @Test
    void readsEveryOptionInBothForms() throws UsageException {
        SimulateConfig config =
                SimulateConfig.parse(
                        new String[] {
                            "--start=2026-12-01",
                            "--zone",
                            "UTC",
                            "--days",
                            "2",
                            "--hours=3",
                            "--seed",
                            "-7",
                            "--tickets-per-hour",
                            "12.5",
                            "--leads-per-day=0",
                            "--jsonl",
                            "out/x.jsonl",
                            "--no-kafka",
                            "--bootstrap",
                            "kafka:9092",
                            "--tickets-topic",
                            "t2",
                            "--leads-topic",
                            "l2"
                        },
                        NO_ENV);
        assertThat(config.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(config.end()).isEqualTo(Instant.parse("2026-12-03T03:00:00Z"));
        assertThat(config.seed()).isEqualTo(-7);
        assertThat(config.ticketsPerHour()).isEqualTo(12.5);
        assertThat(config.leadsPerDay()).isZero();
        assertThat(config.jsonl()).isEqualTo("out/x.jsonl");
        assertThat(config.kafka()).isFalse();
        assertThat(config.bootstrap()).isEqualTo("kafka:9092");
        assertThat(config.ticketsTopic()).isEqualTo("t2");
        assertThat(config.leadsTopic()).isEqualTo("l2");
    }

    @Test
    void startIsLocalToTheZoneUnlessItCarriesAnOffset() throws UsageException {
        assertThat(parse("--start", "2026-11-02T08:30").start())
                .isEqualTo(Instant.parse("2026-11-02T00:30:00Z"));
        assertThat(parse("--start", "2026-11-02T08:30", "--zone", "Europe/Berlin").start())
                .isEqualTo(Instant.parse("2026-11-02T07:30:00Z"));
        assertThat(parse("--start", "2026-11-02T00:00Z").start())
                .isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
    }

    @Test
    void daysAloneReplaceTheDefaultHours() throws UsageException {
        SimulateConfig config = parse("--days", "1");
        assertThat(Duration.between(config.start(), config.end())).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void bootstrapComesFromTheEnvironmentUnlessGiven() throws UsageException {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP", "broker:1234");
        assertThat(SimulateConfig.parse(new String[0], env).bootstrap()).isEqualTo("broker:1234");
        assertThat(SimulateConfig.parse(new String[] {"--bootstrap", "b:1"}, env).bootstrap())
                .isEqualTo("b:1");
    }

    @Test
    void rejectsBadCommandLinesWithAMessageNamingTheProblem() {
        assertUsage("unknown option --tickets", "--tickets", "5");
        assertUsage("unexpected argument 'tickets'", "tickets");
        assertUsage("--start: cannot read '2026-13-01'", "--start", "2026-13-01");
        assertUsage("--zone: unknown time zone 'Mars/Olympus'", "--zone", "Mars/Olympus");
        assertUsage("--hours needs a value", "--hours");
        assertUsage("--hours needs a whole number", "--hours", "two");
        assertUsage("--days must be between 0", "--days", "-1");
        assertUsage("window is empty", "--hours", "0");
        assertUsage("--tickets-per-hour must be a finite number >= 0", "--tickets-per-hour", "-1");
        assertUsage("--leads-per-day needs a number", "--leads-per-day", "many");
        assertUsage("--no-kafka takes no value", "--no-kafka=yes");
        assertUsage("--tickets-topic must not be empty", "--tickets-topic", " ");
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertThat(SimulateConfig.wantsHelp(new String[] {"--hours", "2", "--help"})).isTrue();
        assertThat(SimulateConfig.wantsHelp(new String[] {"-h"})).isTrue();
        assertThat(SimulateConfig.wantsHelp(new String[] {"--hours", "2"})).isFalse();
    }

    private static SimulateConfig parse(String... args) throws UsageException {
        return SimulateConfig.parse(args, NO_ENV);
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }
}
