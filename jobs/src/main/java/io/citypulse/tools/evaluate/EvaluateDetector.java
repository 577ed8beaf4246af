package io.citypulse.tools.evaluate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores the spike detector ({@code AlertJob}) against the simulator's ground truth: which injected
 * incidents it found, how fast, and how many alerts it raised that no incident explains.
 *
 * <h2>Inputs</h2>
 *
 * <ul>
 *   <li>the truth file ({@code scripts/simulate --truth FILE}): the window and the incidents;
 *   <li>the simulator's JSON-lines event file(s) ({@code --jsonl FILE}): each incident's level is
 *       measured from the tickets actually created, not taken from the truth file's expectations;
 *   <li>the alerts: the ClickHouse table {@code alerts} read with {@code FINAL} over HTTP (one row
 *       per alert id, its latest state), or a JSON-lines export of it ({@code --alerts-jsonl}).
 * </ul>
 *
 * <h2>Rules</h2>
 *
 * <ol>
 *   <li><b>Scoring period</b>: from the end of the warm-up ({@code --warmup}, default the truth
 *       file's {@code incidentsFrom}, written by {@code --incidents-after}) to the end of the
 *       simulated window. Alerts opened in the warm-up are not scored.
 *   <li><b>Monitored series</b>: tickets CREATED per major category (city-wide), per catalogue item
 *       (city-wide) and per (major, district). An incident lies in the major's series always, in
 *       its item's series if it is on one item, and in its (major, district) series if it is in one
 *       district.
 *   <li><b>Effective multiplier</b>: per series, usual = its CREATED tickets in the incident's
 *       [start, end) whose id carries no {@code -I<k>-} (no incident's ticket), extra = the
 *       incident's own tickets ({@code -I<ordinal>-}) there; multiplier = (usual + extra) / usual
 *       (a usual level of 0 counts as 1). The incident's effective multiplier is the largest over
 *       its series: the surge as the most specific series that holds it sees it.
 *   <li><b>Eligible</b>: effective multiplier &ge; 2, duration &ge; 1 h, and starting in the
 *       scoring period. Recall is reported over eligible incidents (the target) and over all (for
 *       information).
 *   <li><b>Match</b>: an alert matches an incident when it has the incident's major and a
 *       compatible key, and opened in [detection start, end + 1 h], where detection start = (lead
 *       start if the incident is lead-driven, else start) - 30 min. Compatible keys: a CATEGORY
 *       alert; an ITEM alert for the incident's item, or for any item when the incident covers the
 *       whole major (a whole-category surge raises each of its items in proportion, so that alert
 *       is a true consequence of the incident, not a false one); a DISTRICT alert for the
 *       incident's district, or any district when the incident is city-wide (likewise).
 *   <li><b>Detected</b>: at least one matching alert opened in [detection start, end]. Delay = the
 *       first such alert's {@code opened_at} - start: negative when leads raised it before the
 *       tickets surged. Median and p90 (nearest rank) over the detected eligible incidents are
 *       reported on max(0, delay), the target's measure, and raw.
 *   <li><b>False alert</b>: an alert episode (one alert id) opened in the scoring period that
 *       matches no incident, eligible or not (the hour after an incident's end included). Counted
 *       per major category and 7-day week from the start of the scoring period (the last week may
 *       be shorter). Precision = matching alerts / all alerts opened in the scoring period.
 *   <li><b>Targets</b>: recall (eligible) &ge; 0.95; at most 1 false alert per category per week;
 *       median delay (max(0, delay)) &le; 15 min. Each is PASS or FAIL; the report passes when all
 *       do.
 * </ol>
 *
 * <p>Exit status: 0 when the evaluation ran (whatever the verdict: the caller decides what a FAIL
 * means), 1 when an input could not be read (a missing file, ClickHouse not answering), 2 for a bad
 * command line or an input that is not what it should be.
 */
public final class EvaluateDetector {

    /** The rules in one line each, printed with the report. */
    static final List<String> RULES =
            List.of(
                    "scoring period: from the end of the warm-up to the end of the simulated window;"
                            + " alerts opened in the warm-up are not scored",
                    "monitored series: tickets CREATED per major, per item (city-wide), per (major,"
                            + " district)",
                    "effective multiplier: max over the incident's series of (usual + extra) /"
                            + " usual in [start, end); usual = non-incident tickets (no -I<k>- in"
                            + " the id), extra = the incident's own tickets",
                    "eligible: effective multiplier >= 2, duration >= 1 h, starts in the scoring"
                            + " period",
                    "match: same major; CATEGORY alert, ITEM alert of the incident's item (any item"
                            + " if the incident covers the whole major), DISTRICT alert of its"
                            + " district (any if city-wide); opened in [(lead start if lead-driven"
                            + " else start) - 30 min, end + 1 h]",
                    "detected: a matching alert opened by the incident's end; delay = first such"
                            + " opened_at - start (median/p90 nearest rank on max(0, delay); raw"
                            + " in brackets)",
                    "false alert: an alert id opened in the scoring period matching no incident;"
                            + " counted per category per 7-day week of the scoring period;"
                            + " precision = matching / all alerts of the scoring period",
                    "targets: recall (eligible) >= 0.95, max false alerts per category per week <="
                            + " 1, median delay <= 15 min");

    static final String USAGE =
            """
            Usage: EvaluateDetector --truth FILE --events FILE [--events FILE ...] [options]

            Scores the alerts of AlertJob against the simulator's ground truth: recall over the
            eligible incidents, detection delay, false alerts per category per week, precision,
            and PASS/FAIL against the targets (recall >= 0.95, at most 1 false alert per category
            per week, median delay <= 15 min). The rules are printed with the report.

            Inputs
              --truth FILE               the truth file of scripts/simulate --truth
              --events FILE              a JSON-lines event file of scripts/simulate --jsonl
                                         (repeatable; a ticket's CREATED counts once)
              --alerts-jsonl FILE        read the alerts from this JSON-lines export (rows of
                                         'SELECT ... FROM alerts FINAL FORMAT JSONEachRow', or the
                                         Kafka records as JSON) instead of ClickHouse
              --clickhouse-url URL       ClickHouse HTTP endpoint (default $CLICKHOUSE_URL, else
                                         http://127.0.0.1:18123); user and password from
                                         $CLICKHOUSE_USER and $CLICKHOUSE_PASSWORD
              --clickhouse-database DB   database of the alerts table (default
                                         $CLICKHOUSE_DATABASE, else default)

            Scoring
              --warmup DURATION          length of the warm-up not scored (e.g. 7d; default: the
                                         truth file's incidentsFrom, else 0)

            Output
              --json FILE                also write every figure as JSON
              -h, --help                 this text

            Exit status: 0 the evaluation ran (PASS or FAIL), 1 an input could not be read,
            2 bad command line or input.
            """;

    private EvaluateDetector() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The parsed command line. */
    record Options(
            Path truth,
            List<Path> events,
            Path alertsJsonl,
            String clickHouseUrl,
            String clickHouseDatabase,
            String clickHouseUser,
            String clickHousePassword,
            Duration warmup,
            Path json) {}

    /** Runs the command; returns the exit status. */
    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                out.flush();
                return 0;
            }
        }
        Options options;
        try {
            options = parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        }
        try {
            Truth truth = Truth.read(options.truth());
            AlertSource source =
                    options.alertsJsonl() != null
                            ? AlertSource.jsonLines(options.alertsJsonl(), truth.zone())
                            : new ClickHouseAlertSource(
                                    options.clickHouseUrl(),
                                    options.clickHouseDatabase(),
                                    options.clickHouseUser(),
                                    options.clickHousePassword(),
                                    truth.zone());
            String from =
                    options.alertsJsonl() != null
                            ? options.alertsJsonl().toString()
                            : source.toString();
            Report report = evaluate(truth, options.events(), source, options.warmup(), err);
            report.print(out, from);
            if (options.json() != null) {
                report.writeJson(options.json());
                err.println("evaluate: figures written to " + options.json());
            }
            return 0;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Measures the incidents' levels from the event files, reads the alerts and scores them.
     *
     * @param warmup null: the truth file's {@code incidentsFrom}, else none
     */
    static Report evaluate(
            Truth truth, List<Path> events, AlertSource alerts, Duration warmup, PrintStream log)
            throws IOException {
        long scoringStart = scoringStart(truth, warmup);
        IncidentLevels levels = new IncidentLevels(truth.incidents());
        for (Path file : events) {
            long lines = EventFiles.readCreated(file, levels::accept);
            log.printf(Locale.ROOT, "evaluate: %s: %d lines read%n", file, lines);
        }
        if (levels.tickets() == 0) {
            throw new IllegalArgumentException(
                    "the event file(s) hold no CREATED ticket: not the simulator's --jsonl output?");
        }
        List<AlertRecord> list = alerts.alerts();
        log.printf(
                Locale.ROOT,
                "evaluate: %d tickets, %d incidents, %d alerts%n",
                levels.tickets(),
                truth.incidents().size(),
                list.size());
        return Scoring.score(truth, levels.result(), list, scoringStart);
    }

    static long scoringStart(Truth truth, Duration warmup) {
        long start =
                warmup != null
                        ? truth.start() + warmup.toMillis()
                        : truth.incidentsFrom() != null ? truth.incidentsFrom() : truth.start();
        if (start >= truth.end()) {
            throw new IllegalArgumentException(
                    "the warm-up covers the whole simulated window: nothing left to score");
        }
        return start;
    }

    static Options parse(String[] args, Map<String, String> env) {
        Path truth = null;
        List<Path> events = new ArrayList<>();
        Path alertsJsonl = null;
        String url = env.getOrDefault("CLICKHOUSE_URL", "");
        String database = env.getOrDefault("CLICKHOUSE_DATABASE", "");
        Duration warmup = null;
        Path json = null;
        boolean urlGiven = false;
        boolean databaseGiven = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!List.of(
                            "--truth",
                            "--events",
                            "--alerts-jsonl",
                            "--clickhouse-url",
                            "--clickhouse-database",
                            "--warmup",
                            "--json")
                    .contains(name)) {
                throw new IllegalArgumentException(
                        name.startsWith("-")
                                ? "unknown option " + name
                                : "unexpected argument '" + name + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " needs a non-empty value");
            }
            switch (name) {
                case "--truth" -> truth = Path.of(value);
                case "--events" -> events.add(Path.of(value));
                case "--alerts-jsonl" -> alertsJsonl = Path.of(value);
                case "--clickhouse-url" -> {
                    url = value;
                    urlGiven = true;
                }
                case "--clickhouse-database" -> {
                    database = value;
                    databaseGiven = true;
                }
                case "--warmup" -> warmup = duration(value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalStateException(name);
            }
        }
        if (truth == null) {
            throw new IllegalArgumentException("--truth FILE is required");
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("at least one --events FILE is required");
        }
        if (alertsJsonl != null && (urlGiven || databaseGiven)) {
            throw new IllegalArgumentException(
                    "give --alerts-jsonl or --clickhouse-url/--clickhouse-database, not both");
        }
        if (url.isBlank()) {
            url = "http://127.0.0.1:18123";
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(
                    "--clickhouse-url must be an http(s) URL, not '" + url + "'");
        }
        if (database.isBlank()) {
            database = "default";
        }
        return new Options(
                truth,
                List.copyOf(events),
                alertsJsonl,
                url,
                database,
                env.getOrDefault("CLICKHOUSE_USER", ""),
                env.getOrDefault("CLICKHOUSE_PASSWORD", ""),
                warmup,
                json);
    }

    private static final Pattern DURATION =
            Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** {@code 7d}, {@code 36h}, {@code 1h30m}, {@code 0s} or ISO-8601 ({@code P7D}). */
    static Duration duration(String text) {
        String t = text.strip();
        Matcher m = DURATION.matcher(t);
        if (!t.isEmpty() && m.matches()) {
            long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
            long ms = 0;
            for (int g = 1; g <= 4; g++) {
                if (m.group(g) != null) {
                    ms += Long.parseLong(m.group(g)) * units[g - 1];
                }
            }
            return Duration.ofMillis(ms);
        }
        try {
            Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new IllegalArgumentException("--warmup must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--warmup: cannot read '" + text + "' as a duration (e.g. 7d, 36h, 1h30m)");
        }
    }
}
