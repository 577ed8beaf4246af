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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code scripts/simulate}, parsed and validated once; nothing else reads
 * arguments or the environment.
 *
 * @param start first instant of the simulated window (inclusive)
 * @param end end of the window (exclusive)
 * @param jsonl JSON-lines output file, {@code -} for standard output, or null for none
 * @param kafka whether to write to Kafka
 */
public record SimulateConfig(
        Instant start,
        Instant end,
        ZoneId zone,
        long seed,
        double ticketsPerHour,
        double leadsPerDay,
        String jsonl,
        boolean kafka,
        String bootstrap,
        String ticketsTopic,
        String leadsTopic) {

    static final String DEFAULT_START = "2026-11-02T00:00";
    static final String DEFAULT_ZONE = "Asia/Shanghai";
    static final long DEFAULT_HOURS = 6;
    static final long DEFAULT_SEED = 42;
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";
    static final String STDOUT = "-";

    private static final long MAX_DAYS = 366L * 100;
    private static final Set<String> FLAGS = Set.of("--no-kafka", "--help", "-h");
    private static final List<String> VALUE_OPTIONS =
            List.of(
                    "--start",
                    "--hours",
                    "--days",
                    "--seed",
                    "--tickets-per-hour",
                    "--leads-per-day",
                    "--zone",
                    "--jsonl",
                    "--bootstrap",
                    "--tickets-topic",
                    "--leads-topic");

    public static final String USAGE =
            """
            Usage: scripts/simulate [options]

            Generates a synthetic city (Shenzhen: 10 districts, a first catalogue of matters,
            tickets with their lifecycles and internet leads) and writes the events, in event-time
            order, to Kafka (Avro single-object encoding, key = ticketId / leadId, record timestamp =
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
              --tickets-per-hour R     average tickets per hour over a week (default %.0f)
              --leads-per-day R        average leads captured per day (default %.0f)

            Output
              --jsonl FILE             also write JSON lines to FILE ('-' for standard output):
                                       one object per line, "kind":"ticket"|"lead" then every
                                       Avro field by name, times in epoch milliseconds
              --no-kafka               do not write to Kafka (only --jsonl, if given)
              --bootstrap HOST:PORT    Kafka bootstrap servers (default $KAFKA_BOOTSTRAP, else %s)
              --tickets-topic NAME     topic for ticket events (default tickets)
              --leads-topic NAME       topic for lead events (default leads)
              -h, --help               show this help

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
        Map<String, String> values = new LinkedHashMap<>();
        boolean noKafka = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                noKafka |= name.equals("--no-kafka");
                continue;
            }
            if (!VALUE_OPTIONS.contains(name)) {
                throw new UsageException(
                        arg.startsWith("-")
                                ? "unknown option " + name
                                : "unexpected argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }

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
                try {
                    Path.of(jsonl);
                } catch (RuntimeException e) {
                    throw new UsageException("--jsonl: invalid file name '" + jsonl + "'");
                }
            }
        }
        String envBootstrap = env.get("KAFKA_BOOTSTRAP");
        String bootstrap =
                values.getOrDefault(
                        "--bootstrap",
                        envBootstrap == null || envBootstrap.isBlank()
                                ? DEFAULT_BOOTSTRAP
                                : envBootstrap);
        return new SimulateConfig(
                start,
                end,
                zone,
                longValue("--seed", values.getOrDefault("--seed", Long.toString(DEFAULT_SEED))),
                rate(
                        "--tickets-per-hour",
                        values.get("--tickets-per-hour"),
                        SimulationSettings.DEFAULT_TICKETS_PER_HOUR),
                rate(
                        "--leads-per-day",
                        values.get("--leads-per-day"),
                        SimulationSettings.DEFAULT_LEADS_PER_DAY),
                jsonl,
                !noKafka,
                nonBlank("--bootstrap", bootstrap),
                nonBlank("--tickets-topic", values.getOrDefault("--tickets-topic", "tickets")),
                nonBlank("--leads-topic", values.getOrDefault("--leads-topic", "leads")));
    }

    /** The simulation settings these options select (Shenzhen defaults otherwise). */
    SimulationSettings settings() {
        return SimulationSettings.defaults(zone).withRates(ticketsPerHour, leadsPerDay);
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

    private static String nonBlank(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty");
        }
        return value;
    }
}
