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
    void newOptionsDefaultToAShenzhenSizeCityWithoutIncidentsFaultsOrPacing()
            throws UsageException {
        SimulateConfig config = parse();
        assertThat(config.scale()).isEqualTo(1);
        assertThat(config.settings().ticketsPerHour()).isEqualTo(500);
        assertThat(config.settings().leadsPerDay()).isEqualTo(500);
        assertThat(config.settings())
                .isEqualTo(SimulationSettings.defaults(ZoneId.of("Asia/Shanghai")));
        assertThat(config.faults()).isEqualTo(FaultSettings.NONE);
        assertThat(config.faults().any()).isFalse();
        assertThat(config.speedup()).isZero();
        assertThat(config.incidents()).isNull();
        assertThat(config.randomIncidents()).isZero();
        assertThat(config.truth()).isNull();
        assertThat(config.acks()).isEqualTo(KafkaEventSink.Acks.ALL);
    }

    @Test
    void readsTheRealismKnobsScaleIncidentsFaultsAndPacing() throws UsageException {
        SimulateConfig config =
                parse(
                        "--scale=0.5",
                        "--tickets-per-hour",
                        "100",
                        "--holidays",
                        "2026-11-03",
                        "--holiday-factor",
                        "0.4",
                        "--emergency-share",
                        "0.1",
                        "--expedited-share",
                        "0.2",
                        "--late-dispatch-share",
                        "0.05",
                        "--return-share",
                        "0.07",
                        "--reassign-share",
                        "0.9",
                        "--reopen-share",
                        "0.01",
                        "--lead-valid-share",
                        "0.3",
                        "--lead-repost-share",
                        "0",
                        "--lead-located-share",
                        "1",
                        "--random-incidents",
                        "3",
                        "--truth",
                        "t.json",
                        "--disorder",
                        "5m",
                        "--duplicates",
                        "0.01",
                        "--late",
                        "0.02",
                        "--late-by",
                        "1h30m",
                        "--malformed",
                        "0.001",
                        "--speedup",
                        "60",
                        "--kafka-acks",
                        "1");
        SimulationSettings s = config.settings();
        assertThat(s.ticketsPerHour()).isEqualTo(50);
        assertThat(s.leadsPerDay()).isEqualTo(250);
        assertThat(config.ticketsPerHour()).isEqualTo(100);
        assertThat(s.emergencyShare()).isEqualTo(0.1);
        assertThat(s.expeditedShare()).isEqualTo(0.2);
        assertThat(s.lateDispatchShare()).isEqualTo(0.05);
        assertThat(s.returnShare()).isEqualTo(0.07);
        assertThat(s.reassignShare()).isEqualTo(0.9);
        assertThat(s.reopenShare()).isEqualTo(0.01);
        assertThat(s.leadValidShare()).isEqualTo(0.3);
        assertThat(s.leadRepostShare()).isZero();
        assertThat(s.leadLocatedShare()).isEqualTo(1);
        assertThat(s.holidays().dates()).containsExactly(java.time.LocalDate.parse("2026-11-03"));
        assertThat(s.holidays().holidayFactor()).isEqualTo(0.4);
        assertThat(config.randomIncidents()).isEqualTo(3);
        assertThat(config.truth()).isEqualTo("t.json");
        assertThat(config.faults())
                .isEqualTo(
                        new FaultSettings(
                                Duration.ofMinutes(5), 0.01, 0.02, Duration.ofMinutes(90), 0.001));
        assertThat(config.speedup()).isEqualTo(60);
        assertThat(config.acks()).isEqualTo(KafkaEventSink.Acks.LEADER);
    }

    @Test
    void durationsAreReadInTheUsualShortFormsAndIso() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT3H")).isEqualTo(Duration.ofHours(3));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThatThrownBy(() -> Durations.parse("3 hours")).hasMessageContaining("e.g. 90s");
        assertThatThrownBy(() -> Durations.parse("h")).hasMessageContaining("as a duration");
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
        assertUsage("--scale must be > 0", "--scale", "0");
        assertUsage("--emergency-share must be a share between 0 and 1", "--emergency-share", "3");
        assertUsage("--duplicates must be a share", "--duplicates", "1.5");
        assertUsage("--disorder: cannot read 'soon'", "--disorder", "soon");
        assertUsage("--late-by must be positive", "--late-by", "0s");
        assertUsage("--speedup must be > 0", "--speedup", "0");
        assertUsage("--kafka-acks: acks must be 'all' or '1'", "--kafka-acks", "2");
        assertUsage("--holidays: 'xmas' is not a date", "--holidays", "xmas");
        assertUsage("not both", "--incidents", "i.yaml", "--random-incidents", "2");
        assertUsage("--random-incidents needs a whole number", "--random-incidents", "few");
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
