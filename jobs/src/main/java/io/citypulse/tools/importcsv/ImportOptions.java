package io.citypulse.tools.importcsv;

import io.citypulse.tools.simulate.CommandLine;
import io.citypulse.tools.simulate.UsageException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code scripts/import-csv}, parsed and validated once. Output options mirror
 * {@code scripts/simulate}'s, so the two tools are driven alike.
 *
 * @param kind the kind asked for with {@code --kind}, or null to take the mapping's
 * @param jsonl JSON-lines output file, {@code -} for standard output, or null for none
 * @param rejects file to list every rejected row in (CSV), or null
 * @param progress true/false when {@code --progress}/{@code --no-progress} was given, else null
 *     (draw it when standard error is a terminal)
 * @param limit the most data rows to read
 */
record ImportOptions(
        Path mapping,
        Path csv,
        Kind kind,
        String jsonl,
        boolean kafka,
        String bootstrap,
        String ticketsTopic,
        String leadsTopic,
        boolean strict,
        Importer.Order order,
        Path rejects,
        Boolean progress,
        long limit) {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";
    static final String STDOUT = "-";

    private static final Set<String> FLAGS =
            Set.of("--no-kafka", "--strict", "--progress", "--no-progress", "--help", "-h");
    private static final List<String> VALUE_OPTIONS =
            List.of(
                    "--mapping",
                    "--csv",
                    "--kind",
                    "--jsonl",
                    "--bootstrap",
                    "--tickets-topic",
                    "--leads-topic",
                    "--order",
                    "--rejects",
                    "--limit");

    static final String USAGE =
            """
            Usage: scripts/import-csv --mapping FILE --csv FILE [options]

            Turns a CSV export of a citizen-request system (311 / 12345) into CityPulse events:
            each row becomes a ticket's CREATED event and, where the row has their times,
            DISPATCHED, RESOLVED and CLOSED events (or, with --kind leads, a lead's CAPTURED,
            VERIFIED_VALID/VERIFIED_INVALID and CONVERTED events). The mapping file says which
            column holds what; see scripts/mappings/README.md. Event ids are derived from the
            row (<source>:<id>:<TYPE>), so importing a file twice gives the same events.

            Input
              --mapping FILE           mapping file (YAML), e.g. scripts/mappings/baltimore.yaml
              --csv FILE               the CSV export (header line first)
              --kind tickets|leads     what the export holds (default: the mapping's kind)
              --limit N                read at most N data rows (try a new mapping quickly)

            Output
              --jsonl FILE             also write JSON lines to FILE ('-' for standard output),
                                       in the format of scripts/simulate
              --no-kafka               do not write to Kafka (only --jsonl, if given)
              --bootstrap HOST:PORT    Kafka bootstrap servers (default $KAFKA_BOOTSTRAP, else %s)
              --tickets-topic NAME     topic for ticket events (default tickets)
              --leads-topic NAME       topic for lead events (default leads)
              --order time|file        time (default): all events of the file sorted by event
                                       time, held in memory; file: row by row as read, for files
                                       too big for memory (each row's events in lifecycle order)

            Bad rows
              --strict                 stop at the first bad row with exit code 1 (with --order
                                       time nothing has been written then)
              --rejects FILE           list every rejected row in FILE (CSV: line,reason,detail)
                                       Without --strict, bad rows are reported (the first 20 on
                                       standard error), counted per reason and skipped.

            Display
              --progress, --no-progress
                                       progress bar on standard error (default: only when it is a
                                       terminal)
              -h, --help               show this help

            Kafka: key = ticketId / leadId, value = Avro single-object encoding, record timestamp
            = event time. Old exports carry old timestamps: a topic whose retention is shorter
            than their age deletes them; give such a topic a longer retention.ms first.

            Exit codes: 0 done (bad rows may have been skipped: see the summary), 1 the import
            failed or --strict met a bad row, 2 bad command line, missing file or bad mapping.
            """
                    .formatted(DEFAULT_BOOTSTRAP);

    /** True if the arguments ask for help (then nothing else is validated). */
    static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Parses the arguments ({@code --option value} or {@code --option=value}; a repeated option
     * takes its last value).
     *
     * @param env the environment, for {@code KAFKA_BOOTSTRAP}
     */
    static ImportOptions parse(String[] args, Map<String, String> env) throws UsageException {
        CommandLine.Parsed parsed = CommandLine.parse(args, FLAGS, VALUE_OPTIONS);
        Map<String, String> values = parsed.values();
        Path mapping = path("--mapping", required(values, "--mapping"));
        Path csv = path("--csv", required(values, "--csv"));
        Kind kind = null;
        if (values.containsKey("--kind")) {
            try {
                kind = Kind.of(values.get("--kind"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--kind: " + e.getMessage());
            }
        }
        String jsonl = values.get("--jsonl");
        if (jsonl != null && !jsonl.equals(STDOUT)) {
            path("--jsonl", jsonl);
        }
        String envBootstrap = env.get("KAFKA_BOOTSTRAP");
        String bootstrap =
                values.getOrDefault(
                        "--bootstrap",
                        envBootstrap == null || envBootstrap.isBlank()
                                ? DEFAULT_BOOTSTRAP
                                : envBootstrap);
        Importer.Order order = Importer.Order.TIME;
        if (values.containsKey("--order")) {
            try {
                order =
                        Importer.Order.valueOf(
                                values.get("--order").strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        "--order must be time or file, not '" + values.get("--order") + "'");
            }
        }
        if (parsed.flags().contains("--progress") && parsed.flags().contains("--no-progress")) {
            throw new UsageException("give --progress or --no-progress, not both");
        }
        Boolean progress =
                parsed.flags().contains("--progress")
                        ? Boolean.TRUE
                        : parsed.flags().contains("--no-progress") ? Boolean.FALSE : null;
        long limit = Long.MAX_VALUE;
        if (values.containsKey("--limit")) {
            try {
                limit = Long.parseLong(values.get("--limit").strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit <= 0) {
                throw new UsageException(
                        "--limit needs a whole number > 0, not '" + values.get("--limit") + "'");
            }
        }
        return new ImportOptions(
                mapping,
                csv,
                kind,
                jsonl,
                !parsed.flags().contains("--no-kafka"),
                nonBlank("--bootstrap", bootstrap),
                nonBlank("--tickets-topic", values.getOrDefault("--tickets-topic", "tickets")),
                nonBlank("--leads-topic", values.getOrDefault("--leads-topic", "leads")),
                parsed.flags().contains("--strict"),
                order,
                values.containsKey("--rejects") ? path("--rejects", values.get("--rejects")) : null,
                progress,
                limit);
    }

    private static String required(Map<String, String> values, String option)
            throws UsageException {
        String value = values.get(option);
        if (value == null) {
            throw new UsageException(option + " FILE is required");
        }
        return value;
    }

    private static Path path(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs a file name");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": invalid file name '" + value + "'");
        }
    }

    private static String nonBlank(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty");
        }
        return value;
    }
}
