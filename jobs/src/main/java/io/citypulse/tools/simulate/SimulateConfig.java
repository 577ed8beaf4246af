package io.citypulse.tools.simulate;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code scripts/simulate}, parsed and validated once; nothing else reads
 * arguments or the environment.
 *
 * @param start first instant of the simulated window (inclusive)
 * @param end end of the window (exclusive)
 * @param ticketsPerHour {@code --tickets-per-hour} as given (before {@code --scale})
 * @param leadsPerDay {@code --leads-per-day} as given (before {@code --scale})
 * @param scale city size relative to Shenzhen; multiplies both rates
 * @param jsonl JSON-lines output file, {@code -} for standard output, or null for none
 * @param kafka whether to write to Kafka
 * @param acks producer acknowledgements
 * @param speedup real-time factor for pacing, or 0 for as fast as possible
 * @param incidents incidents file, or null
 * @param randomIncidents number of random incidents (0 unless {@code --random-incidents})
 * @param incidentsAfter random incidents start no earlier than {@code start} plus this (a warm-up
 *     without incidents; zero unless {@code --incidents-after})
 * @param truth ground-truth output file, or null
 * @param settings the simulation settings these options select, rates already scaled
 * @param faults faults to inject
 */
public record SimulateConfig(
        Instant start,
        Instant end,
        ZoneId zone,
        long seed,
        double ticketsPerHour,
        double leadsPerDay,
        double scale,
        String jsonl,
        boolean kafka,
        String bootstrap,
        String ticketsTopic,
        String leadsTopic,
        KafkaEventSink.Acks acks,
        double speedup,
        String incidents,
        int randomIncidents,
        Duration incidentsAfter,
        String truth,
        SimulationSettings settings,
        FaultSettings faults) {

    static final String DEFAULT_START = "2026-11-02T00:00";
    static final String DEFAULT_ZONE = "Asia/Shanghai";
    static final long DEFAULT_HOURS = 6;
    static final long DEFAULT_SEED = 42;
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";
    static final String STDOUT = "-";

    private static final long MAX_DAYS = 366L * 100;
    private static final double MAX_SCALE = 1000;
    private static final int MAX_RANDOM_INCIDENTS = 10_000;
    private static final Set<String> FLAGS = Set.of("--no-kafka", "--help", "-h");
    private static final List<String> VALUE_OPTIONS =
            List.of(
                    "--start",
                    "--hours",
                    "--days",
                    "--seed",
                    "--scale",
                    "--tickets-per-hour",
                    "--leads-per-day",
                    "--zone",
                    "--holidays",
                    "--holiday-factor",
                    "--emergency-share",
                    "--expedited-share",
                    "--late-dispatch-share",
                    "--return-share",
                    "--reassign-share",
                    "--reopen-share",
                    "--lead-valid-share",
                    "--lead-repost-share",
                    "--lead-located-share",
                    "--incidents",
                    "--random-incidents",
                    "--incidents-after",
                    "--truth",
                    "--disorder",
                    "--duplicates",
                    "--late",
                    "--late-by",
                    "--malformed",
                    "--jsonl",
                    "--bootstrap",
                    "--tickets-topic",
                    "--leads-topic",
                    "--kafka-acks",
                    "--speedup");

    public static final String USAGE =
            """
            Usage: scripts/simulate [options]

            Generates a synthetic city (Shenzhen: 10 districts weighted by population, the
            catalogue's 18 major categories and their items, tickets with their lifecycles, leads
            from 42 internet platforms, optional incidents and faults) and writes the events to
            Kafka (Avro single-object encoding, key = ticketId / leadId, record timestamp =
            eventTime) and/or to a JSON-lines file. The same seed and options give the same events.

            Window
              --start T                start, a local date (2026-11-02) or date-time
                                       (2026-11-02T08:00) in --zone, or an instant with offset
                                       (2026-11-02T00:00Z); default %s
              --hours N                length in hours (default %d unless --days is given)
              --days N                 length in days; --days and --hours add up
              --zone ZONE              time zone of the city's daily rhythm and of --start
                                       (default %s)

            City
              --seed N                 random seed (default %d)
              --scale F                city size, 1 = Shenzhen (~12,000 tickets and ~500 leads a
                                       day); multiplies both rates (default 1)
              --tickets-per-hour R     average citizens' tickets per hour over a week at scale 1
                                       (default %.0f)
              --leads-per-day R        average leads captured per day at scale 1 (default %.0f)
              --holidays SPEC          'cn' (PRC statutory holidays 2025-2027), or dates and
                                       ranges: 2026-10-01..2026-10-07,2026-12-25 (default none)
              --holiday-factor F       arrival rate on holidays relative to the same weekday
                                       (default %.2f)

            Realism knobs (shares, 0..1; the statistics tests check the output against them)
              --emergency-share S      tickets with urgency EMERGENCY (default %.2f)
              --expedited-share S      expedited tickets (default %.2f)
              --late-dispatch-share S  tickets first dispatched after their deadline: 30 min
                                       emergency, 2 h general, or the item's stricter one
                                       (default %.2f)
              --return-share S         tickets whose first dispatch is returned (default %.2f)
              --reassign-share S       returns re-dispatched to another agency (default %.2f)
              --reopen-share S         closed tickets reopened (default %.2f)
              --lead-valid-share S     leads verified valid, then converted (default %.2f)
              --lead-repost-share S    posts also captured on other platforms (default %.2f)
              --lead-located-share S   leads whose post names a district (default %.2f)

            Incidents (surges of one category, the ground truth for detection)
              --incidents FILE         user-defined incidents, YAML or JSON (format: README)
              --random-incidents N     draw N incidents from the seed instead (default 0: none)
              --incidents-after DUR    random incidents start no earlier than this after --start
                                       (a warm-up without incidents, e.g. 7d; default 0)
              --truth FILE             write the injected incidents and faults as JSON

            Faults (marked in the JSON lines: "fault", "deliverySeq")
              --disorder DURATION      deliver events shuffled within this span (e.g. 5m)
              --duplicates F           share of events delivered twice (same eventId)
              --late F                 share of events delivered --late-by after their time
              --late-by DURATION       how late (x 1 to 1.5; default %s)
              --malformed F            per event, chance of an undecodable record before it

            Output
              --jsonl FILE             also write JSON lines to FILE ('-' for standard output):
                                       one object per line, "kind":"ticket"|"lead" then every
                                       Avro field by name, times in epoch milliseconds; in
                                       delivery (= Kafka write) order
              --no-kafka               do not write to Kafka (only --jsonl, if given)
              --bootstrap HOST:PORT    Kafka bootstrap servers (default $KAFKA_BOOTSTRAP, else %s)
              --tickets-topic NAME     topic for ticket events (default tickets)
              --leads-topic NAME       topic for lead events (default leads)
              --kafka-acks all|1       producer acks: all (idempotent, default) or 1 (leader only)
              --speedup F              pace the output: simulated time runs F times faster than
                                       the wall clock (1 = real time, 60 = an hour a minute);
                                       default: as fast as possible
              -h, --help               show this help

            Durations: 90s, 5m, 3h, 2d, 1h30m or ISO-8601 (PT1H30M).
            Only events whose time falls in [start, start + length) are written: tickets created
            near the end are unfinished. A summary goes to standard error.
            """
                    .formatted(
                            DEFAULT_START,
                            DEFAULT_HOURS,
                            DEFAULT_ZONE,
                            DEFAULT_SEED,
                            SimulationSettings.DEFAULT_TICKETS_PER_HOUR,
                            SimulationSettings.DEFAULT_LEADS_PER_DAY,
                            Holidays.DEFAULT_FACTOR,
                            SimulationSettings.DEFAULT_EMERGENCY_SHARE,
                            SimulationSettings.DEFAULT_EXPEDITED_SHARE,
                            SimulationSettings.DEFAULT_LATE_DISPATCH_SHARE,
                            SimulationSettings.DEFAULT_RETURN_SHARE,
                            SimulationSettings.DEFAULT_REASSIGN_SHARE,
                            SimulationSettings.DEFAULT_REOPEN_SHARE,
                            SimulationSettings.DEFAULT_LEAD_VALID_SHARE,
                            SimulationSettings.DEFAULT_LEAD_REPOST_SHARE,
                            SimulationSettings.DEFAULT_LEAD_LOCATED_SHARE,
                            Durations.format(FaultSettings.DEFAULT_LATE_BY),
                            DEFAULT_BOOTSTRAP);

    /** True if the arguments ask for help (then nothing else is validated). */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Parses the arguments ({@code --option value} or {@code --option=value}; a repeated option
     * takes its last value).
     *
     * @param env the environment, for {@code KAFKA_BOOTSTRAP}
     */
    public static SimulateConfig parse(String[] args, Map<String, String> env)
            throws UsageException {
        CommandLine.Parsed parsed = CommandLine.parse(args, FLAGS, VALUE_OPTIONS);
        Map<String, String> values = parsed.values();
        boolean noKafka = parsed.flags().contains("--no-kafka");

        ZoneId zone = zone(values.getOrDefault("--zone", DEFAULT_ZONE));
        Instant start = start(values.getOrDefault("--start", DEFAULT_START), zone);
        Duration length = length(values.get("--hours"), values.get("--days"));
        Instant end;
        try {
            end = start.plus(length);
        } catch (DateTimeException | ArithmeticException e) {
            throw new UsageException("--start plus the length is out of range");
        }
        String jsonl = values.get("--jsonl");
        if (jsonl != null) {
            if (jsonl.isBlank()) {
                throw new UsageException("--jsonl needs a file name ('-' for standard output)");
            }
            if (!jsonl.equals(STDOUT)) {
                path("--jsonl", jsonl);
            }
        }
        String envBootstrap = env.get("KAFKA_BOOTSTRAP");
        String bootstrap =
                values.getOrDefault(
                        "--bootstrap",
                        envBootstrap == null || envBootstrap.isBlank()
                                ? DEFAULT_BOOTSTRAP
                                : envBootstrap);

        double ticketsPerHour =
                rate(
                        "--tickets-per-hour",
                        values.get("--tickets-per-hour"),
                        SimulationSettings.DEFAULT_TICKETS_PER_HOUR);
        double leadsPerDay =
                rate(
                        "--leads-per-day",
                        values.get("--leads-per-day"),
                        SimulationSettings.DEFAULT_LEADS_PER_DAY);
        double scale = rate("--scale", values.get("--scale"), 1);
        if (!(scale > 0 && scale <= MAX_SCALE)) {
            throw new UsageException("--scale must be > 0 and at most " + (int) MAX_SCALE);
        }
        double holidayFactor =
                rate("--holiday-factor", values.get("--holiday-factor"), Holidays.DEFAULT_FACTOR);
        if (holidayFactor > 10) {
            throw new UsageException("--holiday-factor must be at most 10");
        }
        Holidays holidays;
        try {
            holidays = Holidays.parse(values.getOrDefault("--holidays", "none"), holidayFactor);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--holidays: " + e.getMessage());
        }
        SimulationSettings settings =
                SimulationSettings.defaults(zone).toBuilder()
                        .ticketsPerHour(ticketsPerHour * scale)
                        .leadsPerDay(leadsPerDay * scale)
                        .emergencyShare(
                                share(
                                        values,
                                        "--emergency-share",
                                        SimulationSettings.DEFAULT_EMERGENCY_SHARE))
                        .expeditedShare(
                                share(
                                        values,
                                        "--expedited-share",
                                        SimulationSettings.DEFAULT_EXPEDITED_SHARE))
                        .lateDispatchShare(
                                share(
                                        values,
                                        "--late-dispatch-share",
                                        SimulationSettings.DEFAULT_LATE_DISPATCH_SHARE))
                        .returnShare(
                                share(
                                        values,
                                        "--return-share",
                                        SimulationSettings.DEFAULT_RETURN_SHARE))
                        .reassignShare(
                                share(
                                        values,
                                        "--reassign-share",
                                        SimulationSettings.DEFAULT_REASSIGN_SHARE))
                        .reopenShare(
                                share(
                                        values,
                                        "--reopen-share",
                                        SimulationSettings.DEFAULT_REOPEN_SHARE))
                        .leadValidShare(
                                share(
                                        values,
                                        "--lead-valid-share",
                                        SimulationSettings.DEFAULT_LEAD_VALID_SHARE))
                        .leadRepostShare(
                                share(
                                        values,
                                        "--lead-repost-share",
                                        SimulationSettings.DEFAULT_LEAD_REPOST_SHARE))
                        .leadLocatedShare(
                                share(
                                        values,
                                        "--lead-located-share",
                                        SimulationSettings.DEFAULT_LEAD_LOCATED_SHARE))
                        .holidays(holidays)
                        .build();

        String incidents = values.get("--incidents");
        if (incidents != null) {
            path("--incidents", incidents);
        }
        int randomIncidents =
                (int)
                        count(
                                "--random-incidents",
                                values.getOrDefault("--random-incidents", "0"),
                                MAX_RANDOM_INCIDENTS);
        if (incidents != null && randomIncidents > 0) {
            throw new UsageException("give --incidents FILE or --random-incidents N, not both");
        }
        Duration incidentsAfter = duration(values, "--incidents-after", Duration.ZERO);
        if (!incidentsAfter.isZero()) {
            if (randomIncidents == 0) {
                throw new UsageException(
                        "--incidents-after applies to --random-incidents N only (the times in an"
                                + " incidents file are used as given)");
            }
            if (incidentsAfter.compareTo(length) >= 0) {
                throw new UsageException(
                        "--incidents-after must be shorter than the simulated window ("
                                + Durations.format(length)
                                + ")");
            }
        }
        String truth = values.get("--truth");
        if (truth != null) {
            path("--truth", truth);
        }

        Duration lateBy = duration(values, "--late-by", FaultSettings.DEFAULT_LATE_BY);
        if (lateBy.isZero()) {
            throw new UsageException("--late-by must be positive");
        }
        FaultSettings faults =
                new FaultSettings(
                        duration(values, "--disorder", Duration.ZERO),
                        share(values, "--duplicates", 0),
                        share(values, "--late", 0),
                        lateBy,
                        share(values, "--malformed", 0));

        double speedup = 0;
        if (values.containsKey("--speedup")) {
            speedup = rate("--speedup", values.get("--speedup"), 0);
            if (speedup <= 0) {
                throw new UsageException("--speedup must be > 0 (1 = real time)");
            }
        }
        KafkaEventSink.Acks acks;
        try {
            acks = KafkaEventSink.Acks.parse(values.getOrDefault("--kafka-acks", "all"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kafka-acks: " + e.getMessage());
        }
        return new SimulateConfig(
                start,
                end,
                zone,
                longValue("--seed", values.getOrDefault("--seed", Long.toString(DEFAULT_SEED))),
                ticketsPerHour,
                leadsPerDay,
                scale,
                jsonl,
                !noKafka,
                nonBlank("--bootstrap", bootstrap),
                nonBlank("--tickets-topic", values.getOrDefault("--tickets-topic", "tickets")),
                nonBlank("--leads-topic", values.getOrDefault("--leads-topic", "leads")),
                acks,
                speedup,
                incidents,
                randomIncidents,
                incidentsAfter,
                truth,
                settings,
                faults);
    }

    private static ZoneId zone(String text) throws UsageException {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new UsageException(
                    "--zone: unknown time zone '" + text + "' (e.g. Asia/Shanghai, UTC)");
        }
    }

    private static Instant start(String text, ZoneId zone) throws UsageException {
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocalDateTime) {
            // try the other forms
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffsetDateTime) {
            throw new UsageException(
                    "--start: cannot read '"
                            + text
                            + "' as a date (2026-11-02), a local date-time (2026-11-02T08:00)"
                            + " or an instant with offset (2026-11-02T00:00+08:00)");
        }
    }

    private static Duration length(String hours, String days) throws UsageException {
        if (hours == null && days == null) {
            return Duration.ofHours(DEFAULT_HOURS);
        }
        long h = hours == null ? 0 : count("--hours", hours, MAX_DAYS * 24);
        long d = days == null ? 0 : count("--days", days, MAX_DAYS);
        if (h == 0 && d == 0) {
            throw new UsageException("the simulated window is empty: give --hours or --days > 0");
        }
        return Duration.ofDays(d).plusHours(h);
    }

    private static long count(String option, String text, long max) throws UsageException {
        long value = longValue(option, text);
        if (value < 0 || value > max) {
            throw new UsageException(option + " must be between 0 and " + max + ": " + text);
        }
        return value;
    }

    private static long longValue(String option, String text) throws UsageException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, not '" + text + "'");
        }
    }

    private static double rate(String option, String text, double defaultValue)
            throws UsageException {
        if (text == null) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not '" + text + "'");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new UsageException(option + " must be a finite number >= 0: " + text);
        }
        return value;
    }

    private static double share(Map<String, String> values, String option, double defaultValue)
            throws UsageException {
        double value = rate(option, values.get(option), defaultValue);
        if (value > 1) {
            throw new UsageException(
                    option + " must be a share between 0 and 1: " + values.get(option));
        }
        return value;
    }

    private static Duration duration(
            Map<String, String> values, String option, Duration defaultValue)
            throws UsageException {
        String text = values.get(option);
        if (text == null) {
            return defaultValue;
        }
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) {
                throw new UsageException(option + " must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static void path(String option, String text) throws UsageException {
        if (text.isBlank()) {
            throw new UsageException(option + " needs a file name");
        }
        try {
            Path.of(text);
        } catch (RuntimeException e) {
            throw new UsageException(option + ": invalid file name '" + text + "'");
        }
    }

    private static String nonBlank(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty");
        }
        return value;
    }
}
