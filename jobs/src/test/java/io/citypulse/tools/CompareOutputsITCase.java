package io.citypulse.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.RepoPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/compare-outputs} on two databases of the real ClickHouse engine, filled by hand so
 * that each verdict is known in advance: rows a later version replaced do not count, the wall
 * clock's column does not count, a different version alone passes but is reported, and a row that
 * differs fails.
 */
class CompareOutputsITCase {

    @TempDir Path tmp;

    private static final String BREACH =
            "INSERT INTO sla_breaches (ticket_id, sla_kind, urgency, expedited, category_major,"
                    + " category_code, district, agency, created, deadline, fulfilled,"
                    + " minutes_overdue, status, version) VALUES ";

    private static String breach(String ticket, String status, long version) {
        return "('"
                + ticket
                + "', 'DISPATCH', 'GENERAL', false, 'TRAFFIC', 'TRAFFIC-SIGNAL', 'Futian', NULL,"
                + " '2026-11-02 08:00:00.000', '2026-11-02 10:00:00.000', NULL, NULL, '"
                + status
                + "', "
                + version
                + ")";
    }

    private static String rejected(String rejectedAt) {
        return "INSERT INTO rejected_events (job, source_topic, source_partition, source_offset,"
                + " reason, detail, event_id, event_time, rejected_at, payload_bytes) VALUES ('sla',"
                + " 'tickets', 0, 42, 'MALFORMED', 'corrupt body', NULL, NULL, '"
                + rejectedAt
                + "', 17)";
    }

    private static String agencyDay(long version) {
        return "INSERT INTO agency_daily (day, agency, tickets_dispatched, tickets_returned,"
                + " first_dispatch_success, dispatched_late, emergency_dispatched,"
                + " general_dispatched, resolved_on_time, resolved_late, open_past_due, version)"
                + " VALUES ('2026-11-02', 'TRANSPORT', 3, 1, 2, 0, 0, 3, 2, 0, 1, "
                + version
                + ")";
    }

    /** A hotspot row of the hour ending {@code hoursAgo} hours before now. */
    private static String hotspot(int hoursAgo) {
        return "INSERT INTO hotspots (window_end, scope, rank, category_major, district, volume,"
                + " expected, growth, score, top_items, top_agencies, version) VALUES"
                + " (toStartOfHour(now()) - INTERVAL "
                + hoursAgo
                + " HOUR, 'city', 1, 'WATER', 'Futian', 40, 10.0, 3.73, 9.05, 'WATER-LEAK:40',"
                + " 'WATER_AUTHORITY:40', 7)";
    }

    @Test
    @Timeout(120)
    void shouldCompareTheFinalRowsAndFailOnlyWhenTheyDiffer() throws Exception {
        try (ClickHouseTestDatabase a = ClickHouseTestDatabase.createKeepingTtl("it_compare_a");
                ClickHouseTestDatabase b =
                        ClickHouseTestDatabase.createKeepingTtl("it_compare_b")) {
            // A saw an OPEN breach that a later version replaced; B only the final row.
            execute(a, BREACH + breach("T-1", "OPEN", 100));
            execute(a, BREACH + breach("T-1", "FULFILLED_LATE", 200));
            execute(b, BREACH + breach("T-1", "FULFILLED_LATE", 200));
            // The same rejection, at different wall-clock times.
            execute(a, rejected("2026-11-27 10:00:00.000"));
            execute(b, rejected("2026-11-27 11:30:00.000"));
            // The same day's row, made true as of different watermarks.
            execute(a, agencyDay(300));
            execute(b, agencyDay(301));
            // The hotspots table keeps 400 days: a row of 399.5 days ago is gone by tomorrow, once
            // ClickHouse merges, so whether one database still holds it says nothing of the jobs.
            execute(a, hotspot(3 * 24));
            execute(b, hotspot(3 * 24));
            execute(a, hotspot(399 * 24 + 12));

            Result same = compare(a, b);
            assertThat(same.exit).as(same.output).isZero();
            assertThat(same.line("hotspots"))
                    .matches("hotspots +1 +1  same, versions too \\(rows past their TTL.*");
            assertThat(same.line("sla_breaches")).endsWith("1  same, versions too");
            assertThat(same.line("rejected_events")).contains(" 1  same (rows past");
            assertThat(same.line("agency_daily")).endsWith("1  same rows, versions differ");
            assertThat(same.line("ticket_counts_5m")).contains(" 0  same, versions too");
            assertThat(same.output).doesNotContain("catalogue");

            execute(b, BREACH + breach("T-2", "OPEN", 100));
            Result differ = compare(a, b);
            assertThat(differ.exit).as(differ.output).isEqualTo(1);
            assertThat(differ.line("sla_breaches")).matches("sla_breaches +1 +2  ROWS DIFFER");
            assertThat(differ.line("rejected_events")).contains(" 1  same (rows past");
        }
    }

    private static void execute(ClickHouseTestDatabase db, String sql) throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private record Result(int exit, String output) {
        String line(String table) {
            return output.lines()
                    .filter(l -> l.startsWith(table + " "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + table + "\n" + output))
                    .stripTrailing();
        }
    }

    private Result compare(ClickHouseTestDatabase a, ClickHouseTestDatabase b) throws Exception {
        List<String> command =
                List.of(
                        RepoPaths.root().resolve("scripts/compare-outputs").toString(),
                        a.name(),
                        b.name(),
                        "--url",
                        a.settings().url());
        File log = tmp.resolve("compare-" + System.nanoTime() + ".log").toFile();
        Process p =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("compare-outputs finished").isTrue();
        return new Result(p.exitValue(), Files.readString(log.toPath()));
    }
}
