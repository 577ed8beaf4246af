package io.citypulse.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.alerts.AlertRows;
import io.citypulse.alerts.WeeklyRows;
import io.citypulse.alerts.records.WeeklyRow;
import io.citypulse.avro.DeadLetter;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.CountRows;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.HotspotRows;
import io.citypulse.hotspot.functions.LeadFacts;
import io.citypulse.hotspot.functions.TicketFacts;
import io.citypulse.hotspot.records.HotspotRow;
import io.citypulse.sla.AgencyDailyRows;
import io.citypulse.sla.SlaBreachRows;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.testutils.ClickHouseTestDatabase;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sink's two encodings against the real ClickHouse engine: the rows of every table the jobs'
 * row writers fill, sent as binary rows (RowBinary, the default) and as the SQL text of an {@code
 * INSERT ... VALUES} ({@code --sink-text-inserts}), must be stored the same, column for column, and
 * as worked out by hand: times to the millisecond on the tables' local clock (Asia/Shanghai,
 * UTC+8), days, nulls, flags, non-ASCII text.
 */
@Timeout(120)
class RowEncodingITCase {

    /** 2026-11-02 00:05:00.123 UTC = 08:05:00.123 in Shanghai. */
    static final long T = Instant.parse("2026-11-02T00:05:00.123Z").toEpochMilli();

    static final long MINUTE = 60_000L;

    private static ClickHouseTestDatabase db;

    @BeforeAll
    static void createDatabase() throws Exception {
        db = ClickHouseTestDatabase.create("it_encoding");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        db.close();
    }

    /**
     * Writes {@code rows} with the given encoding into an emptied table and reads every column
     * back, as text, in a fixed order.
     */
    private static <T> List<Map<String, Object>> roundTrip(
            RowWriter<T> writer, List<T> rows, boolean rowBinary) throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE " + writer.table());
        }
        SinkOptions options =
                new SinkOptions(1_000, Duration.ZERO, 1, Duration.ofMillis(10), rowBinary);
        try (ClickHouseSinkWriter<T> w =
                new ClickHouseSinkWriter<>(
                        db.settings(),
                        writer,
                        options,
                        new TestProcessingTimeService(),
                        UnregisteredMetricsGroup.createSinkWriterMetricGroup())) {
            for (T row : rows) {
                w.write(row, null);
            }
            w.flush(false);
        }
        StringBuilder columns = new StringBuilder();
        for (String column : writer.columns()) {
            columns.append(columns.length() == 0 ? "" : ", ").append("toString(").append(column);
            columns.append(") AS ").append(column);
        }
        return db.query(
                "SELECT " + columns + " FROM " + writer.table() + " ORDER BY " + columns(writer));
    }

    private static String columns(RowWriter<?> writer) {
        return String.join(", ", writer.columns());
    }

    /** Both encodings store the same rows; returns them. */
    private static <T> List<Map<String, Object>> storedAlike(RowWriter<T> writer, List<T> rows)
            throws Exception {
        List<Map<String, Object>> text = roundTrip(writer, rows, false);
        List<Map<String, Object>> binary = roundTrip(writer, rows, true);
        assertThat(text).hasSize(rows.size());
        assertThat(binary).as(writer.table()).isEqualTo(text);
        return binary;
    }

    /**
     * The driver's binary writer sends {@code INSERT INTO table FORMAT RowBinary} without a column
     * list, so a row writer must name every column of its table, in the table's order: a column
     * added to a table and not to its writer would shift every value after it.
     */
    @Test
    void everyRowWriterNamesAllItsTablesColumnsInTheirOrder() throws Exception {
        List<RowWriter<?>> writers = new ArrayList<>();
        for (String grain : List.of("5m", "1h", "1d")) {
            writers.add(
                    new CountRows(
                            "ticket_counts_" + grain,
                            TicketFacts.DIMENSIONS,
                            TicketFacts.MEASURES));
            writers.add(
                    new CountRows(
                            "lead_counts_" + grain, LeadFacts.DIMENSIONS, LeadFacts.MEASURES));
        }
        writers.add(new HotspotRows());
        writers.add(new AlertRows());
        writers.add(new WeeklyRows());
        writers.add(new SlaBreachRows());
        writers.add(new AgencyDailyRows());
        writers.add(new RejectedEventRows());
        for (RowWriter<?> writer : writers) {
            List<String> table = new ArrayList<>();
            for (Map<String, Object> row :
                    db.query(
                            "SELECT name FROM system.columns WHERE database = currentDatabase()"
                                    + " AND table = '"
                                    + writer.table()
                                    + "' ORDER BY position")) {
                table.add((String) row.get("name"));
            }
            assertThat(writer.columns()).as(writer.table()).isEqualTo(table);
        }
    }

    @Test
    void countRowsKeepTheirWindowsToTheMillisecondAndEveryCount() throws Exception {
        CountRows writer =
                new CountRows("ticket_counts_1h", TicketFacts.DIMENSIONS, TicketFacts.MEASURES);
        long[] counts = new long[TicketFacts.MEASURES.size()];
        for (int m = 0; m < counts.length; m++) {
            counts[m] = m == 0 ? Long.MAX_VALUE : m * 7L;
        }
        String sep = String.valueOf(io.citypulse.counts.CountFact.SEPARATOR);
        List<CountRow> rows =
                List.of(
                        new CountRow(
                                Granularity.HOUR,
                                T,
                                T + 60 * MINUTE,
                                String.join(sep, "NOISE", "NOISE-A", "福田区", "", "HOTLINE"),
                                counts,
                                true,
                                42),
                        new CountRow(
                                Granularity.HOUR,
                                T - 60 * MINUTE,
                                T,
                                "TRAFFIC",
                                new long[counts.length],
                                false,
                                0));
        List<Map<String, Object>> stored = storedAlike(writer, rows);
        Map<String, Object> first = stored.get(1);
        assertThat(first.get("window_start")).isEqualTo("2026-11-02 08:05:00.123");
        assertThat(first.get("window_end")).isEqualTo("2026-11-02 09:05:00.123");
        assertThat(first.get("district")).isEqualTo("福田区");
        assertThat(first.get("agency")).isEqualTo("");
        assertThat(first.get("created")).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(first.get("is_final")).isEqualTo("1");
        assertThat(first.get("version")).isEqualTo("42");
        Map<String, Object> second = stored.get(0);
        assertThat(second.get("window_start")).isEqualTo("2026-11-02 07:05:00.123");
        assertThat(second.get("category_code")).isEqualTo("");
        assertThat(second.get("is_final")).isEqualTo("0");
    }

    @Test
    void slaBreachesKeepTheirNullsAndTimes() throws Exception {
        SlaBreach open = new SlaBreach();
        open.ticketId = "T-1";
        open.slaKind = "DISPATCH";
        open.urgency = "EMERGENCY";
        open.expedited = true;
        open.categoryMajor = "NOISE";
        open.categoryCode = "NOISE-A";
        open.district = "Futian";
        open.created = T;
        open.deadline = T + 30 * MINUTE;
        open.status = "OPEN";
        open.version = 1;
        SlaBreach late = new SlaBreach();
        late.ticketId = "T-2";
        late.slaKind = "RESOLUTION";
        late.urgency = "GENERAL";
        late.categoryMajor = "NOISE";
        late.categoryCode = "NOISE-B";
        late.district = "Nanshan";
        late.agency = "Nanshan Environment";
        late.created = T;
        late.deadline = T + 120 * MINUTE;
        late.fulfilled = T + 150 * MINUTE + 1;
        late.minutesOverdue = 30.0000166;
        late.status = "LATE";
        late.version = 2;
        List<Map<String, Object>> stored = storedAlike(new SlaBreachRows(), List.of(late, open));
        Map<String, Object> o = stored.get(0);
        assertThat(o.get("ticket_id")).isEqualTo("T-1");
        assertThat(o.get("deadline")).isEqualTo("2026-11-02 08:35:00.123");
        assertThat(o.get("fulfilled")).isNull();
        assertThat(o.get("agency")).isNull();
        assertThat(o.get("minutes_overdue")).isNull();
        Map<String, Object> l = stored.get(1);
        assertThat(l.get("fulfilled")).isEqualTo("2026-11-02 10:35:00.124");
        assertThat(l.get("minutes_overdue")).isEqualTo("30.0000166");
    }

    @Test
    void agencyDaysAndCaseCategoryWeeksKeepTheirDays() throws Exception {
        AgencyDaily day = new AgencyDaily();
        day.day = "2026-11-02";
        day.agency = "Futian Water";
        day.ticketsDispatched = 10;
        day.firstDispatchSuccessRate = 0.9;
        day.emergencyLatencyP50Min = null;
        day.version = 3;
        List<Map<String, Object>> days = storedAlike(new AgencyDailyRows(), List.of(day));
        assertThat(days.get(0).get("day")).isEqualTo("2026-11-02");
        assertThat(days.get(0).get("emergency_latency_p50_min")).isNull();

        WeeklyRow week = new WeeklyRow();
        week.weekStart = LocalDate.parse("2026-11-02").toEpochDay();
        week.categoryMajor = "NOISE";
        week.alerts = 2;
        week.escalated = true;
        week.daysElevated = 3;
        week.hoursElevated = 4.5;
        week.excessTickets = 12.25;
        week.districts = "Futian:10";
        week.topItems = "NOISE-A:9";
        week.topAgencies = "";
        week.lastAlertId = "a0123";
        week.version = T;
        List<Map<String, Object>> weeks = storedAlike(new WeeklyRows(), List.of(week));
        assertThat(weeks.get(0).get("week_start")).isEqualTo("2026-11-02");
        assertThat(weeks.get(0).get("escalated")).isIn("1", "true");
    }

    @Test
    void hotspotsAndRejectedEventsToo() throws Exception {
        HotspotRow h = new HotspotRow();
        h.windowEnd = T;
        h.scope = "CITY";
        h.rank = 1;
        h.categoryMajor = "NOISE";
        h.district = "Futian";
        h.volume = 17;
        h.expected = 3.5;
        h.growth = 4.857142857142857;
        h.score = 0.25;
        h.topItems = "NOISE-A:10";
        h.topAgencies = "";
        h.version = 9;
        List<Map<String, Object>> hotspots = storedAlike(new HotspotRows(), List.of(h));
        assertThat(hotspots.get(0).get("window_end")).isEqualTo("2026-11-02 08:05:00.123");

        DeadLetter withTime =
                DeadLetter.newBuilder()
                        .setReason("LATE")
                        .setDetail("line one\nline two, 'quoted'")
                        .setJob("hotspot")
                        .setSourceTopic("tickets")
                        .setSourcePartition(3)
                        .setSourceOffset(1L << 40)
                        .setEventId("e-1")
                        .setEventTime(Instant.ofEpochMilli(T))
                        .setRejectedAt(Instant.ofEpochMilli(T + MINUTE))
                        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .build();
        DeadLetter without =
                DeadLetter.newBuilder(withTime)
                        .setReason("MALFORMED")
                        .setEventId(null)
                        .setEventTime(null)
                        .build();
        List<Map<String, Object>> rejected =
                storedAlike(new RejectedEventRows(), List.of(withTime, without));
        Map<String, Object> late = rejected.get(0);
        assertThat(late.get("reason")).isEqualTo("LATE");
        assertThat(late.get("event_time")).isEqualTo("2026-11-02 08:05:00.123");
        assertThat(late.get("rejected_at")).isEqualTo("2026-11-02 08:06:00.123");
        assertThat(late.get("detail")).isEqualTo("line one\nline two, 'quoted'");
        assertThat(rejected.get(1).get("event_time")).isNull();
        assertThat(rejected.get(1).get("event_id")).isNull();
    }
}
