package io.citypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.RepoPaths;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alert dashboard panels ({@code sql/dashboard/alerts_open.sql}, {@code
 * case_category_candidates_week.sql}) against the real ClickHouse engine, on hand-made rows of
 * {@code alerts} and {@code case_category_weekly} in a fresh migrated database, run over plain HTTP
 * as a dashboard runs them. Every revision is inserted by its own INSERT (its own part), so only
 * {@code FINAL} can pick the latest one.
 */
class AlertDashboardITCase {

    private static final Path DASHBOARDS = RepoPaths.root().resolve("sql/dashboard");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String alertRow(
            String id,
            String state,
            String level,
            int revision,
            String eventTime,
            String openedAt,
            String scope,
            String major,
            String code,
            String district,
            boolean leadDriven,
            long observed,
            double expected,
            double score) {
        return String.format(
                java.util.Locale.ROOT,
                "INSERT INTO alerts (alert_id, state, level, revision, event_time, opened_at, scope,"
                        + " category_major, category_code, district, lead_driven, window_start,"
                        + " window_end, observed, expected, score, summary_zh, summary_en) VALUES"
                        + " ('%s', '%s', '%s', %d, '%s', '%s', '%s', '%s', '%s', '%s', %s, '%s',"
                        + " '%s', %d, %s, %s, '%s', '%s')",
                id,
                state,
                level,
                revision,
                eventTime,
                openedAt,
                scope,
                major,
                code,
                district,
                leadDriven ? "true" : "false",
                eventTime,
                eventTime,
                observed,
                expected,
                score,
                "摘要 " + id + " r" + revision,
                "summary " + id + " r" + revision);
    }

    private static String weekRow(
            String week, String major, int alerts, boolean escalated, double excess, long version) {
        return String.format(
                java.util.Locale.ROOT,
                "INSERT INTO case_category_weekly (week_start, category_major, alerts, escalated,"
                        + " days_elevated, hours_elevated, excess_tickets, districts, top_items,"
                        + " top_agencies, last_alert_id, version) VALUES ('%s', '%s', %d, %s, 2,"
                        + " 5.5, %s, 'Baoan:3.5', '%s-X:7', 'AGENCY:7', '%s-last-v%d', %d)",
                week,
                major,
                alerts,
                escalated ? "true" : "false",
                excess,
                major,
                major,
                version,
                version);
    }

    private static void execute(ClickHouseTestDatabase db, List<String> statements)
            throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<JsonNode> rows(List<String> lines) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : lines) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    @Timeout(120)
    void openAlertsShowTheLatestRevisionOfEveryUnresolvedEpisodeNewestFirst() throws Exception {
        try (ClickHouseTestDatabase db = ClickHouseTestDatabase.create("it_alert_dash")) {
            execute(
                    db,
                    List.of(
                            // a-open: the UPDATED revision (1) is inserted before the OPENED one
                            alertRow(
                                    "a-open",
                                    "UPDATED",
                                    "SPIKE",
                                    1,
                                    "2026-11-10 09:05:00",
                                    "2026-11-10 09:00:00",
                                    "CATEGORY",
                                    "NOISE",
                                    "",
                                    "",
                                    false,
                                    30,
                                    5.04,
                                    9.87),
                            alertRow(
                                    "a-open",
                                    "OPENED",
                                    "SPIKE",
                                    0,
                                    "2026-11-10 09:00:00",
                                    "2026-11-10 09:00:00",
                                    "CATEGORY",
                                    "NOISE",
                                    "",
                                    "",
                                    false,
                                    20,
                                    5.0,
                                    6.2),
                            // a-resolved: opened last but one, now RESOLVED: must not show, not
                            // even through its older OPENED revision
                            alertRow(
                                    "a-resolved",
                                    "OPENED",
                                    "SPIKE",
                                    0,
                                    "2026-11-10 10:00:00",
                                    "2026-11-10 10:00:00",
                                    "ITEM",
                                    "WATER",
                                    "WATER-PIPE-BURST",
                                    "",
                                    false,
                                    12,
                                    2.0,
                                    5.5),
                            alertRow(
                                    "a-resolved",
                                    "RESOLVED",
                                    "SPIKE",
                                    1,
                                    "2026-11-10 12:00:00",
                                    "2026-11-10 10:00:00",
                                    "ITEM",
                                    "WATER",
                                    "WATER-PIPE-BURST",
                                    "",
                                    false,
                                    3,
                                    2.0,
                                    0.3),
                            // a-district: escalated to CASE_CATEGORY, lead-driven, opened last
                            alertRow(
                                    "a-district",
                                    "OPENED",
                                    "SPIKE",
                                    0,
                                    "2026-11-10 11:00:00",
                                    "2026-11-10 11:00:00",
                                    "DISTRICT",
                                    "HOUSING",
                                    "",
                                    "Baoan",
                                    true,
                                    9,
                                    1.5,
                                    4.0),
                            alertRow(
                                    "a-district",
                                    "ESCALATED",
                                    "CASE_CATEGORY",
                                    1,
                                    "2026-11-10 11:30:00",
                                    "2026-11-10 11:00:00",
                                    "DISTRICT",
                                    "HOUSING",
                                    "",
                                    "Baoan",
                                    true,
                                    15,
                                    1.5,
                                    8.04),
                            // a-item: one revision, opened first
                            alertRow(
                                    "a-item",
                                    "OPENED",
                                    "SPIKE",
                                    0,
                                    "2026-11-10 08:00:00",
                                    "2026-11-10 08:00:00",
                                    "ITEM",
                                    "TRAFFIC",
                                    "TRAFFIC-SIGNAL-FAULT",
                                    "",
                                    false,
                                    7,
                                    1.0,
                                    3.3)));
            // No check of the raw row count: ClickHouse may already have collapsed revisions of
            // one alert (optimize_on_insert, background merges); the panel must be right either
            // way.

            List<JsonNode> open =
                    rows(db.dashboard(DASHBOARDS.resolve("alerts_open.sql"), Map.of()));
            assertThat(open)
                    .extracting(r -> r.get("alert_id").asText())
                    .containsExactly("a-district", "a-open", "a-item");
            JsonNode district = open.get(0);
            assertThat(district.get("state").asText()).isEqualTo("ESCALATED");
            assertThat(district.get("level").asText()).isEqualTo("CASE_CATEGORY");
            assertThat(district.get("scope").asText()).isEqualTo("DISTRICT");
            assertThat(district.get("district").asText()).isEqualTo("Baoan");
            assertThat(district.get("category_code").asText()).isEmpty();
            assertThat(district.get("lead_driven").asBoolean()).isTrue();
            assertThat(district.get("observed").asLong()).isEqualTo(15);
            assertThat(district.get("score").asDouble()).isEqualTo(8.0);
            assertThat(district.get("opened_at").asText()).isEqualTo("2026-11-10 11:00:00.000");
            assertThat(district.get("updated_at").asText()).isEqualTo("2026-11-10 11:30:00.000");
            assertThat(district.get("summary_zh").asText()).isEqualTo("摘要 a-district r1");
            assertThat(district.get("summary_en").asText()).isEqualTo("summary a-district r1");
            JsonNode category = open.get(1);
            assertThat(category.get("state").asText()).isEqualTo("UPDATED");
            assertThat(category.get("observed").asLong()).isEqualTo(30);
            assertThat(category.get("expected").asDouble()).isEqualTo(5.0);
            assertThat(category.get("score").asDouble()).isEqualTo(9.9);
            assertThat(category.get("lead_driven").asBoolean()).isFalse();
            JsonNode item = open.get(2);
            assertThat(item.get("scope").asText()).isEqualTo("ITEM");
            assertThat(item.get("category_code").asText()).isEqualTo("TRAFFIC-SIGNAL-FAULT");
            assertThat(item.get("district").asText()).isEmpty();

            // A replay writes the same rows again: nothing changes.
            execute(
                    db,
                    List.of(
                            alertRow(
                                    "a-item",
                                    "OPENED",
                                    "SPIKE",
                                    0,
                                    "2026-11-10 08:00:00",
                                    "2026-11-10 08:00:00",
                                    "ITEM",
                                    "TRAFFIC",
                                    "TRAFFIC-SIGNAL-FAULT",
                                    "",
                                    false,
                                    7,
                                    1.0,
                                    3.3)));
            assertThat(rows(db.dashboard(DASHBOARDS.resolve("alerts_open.sql"), Map.of())))
                    .extracting(r -> r.get("alert_id").asText())
                    .containsExactly("a-district", "a-open", "a-item");
        }
    }

    @Test
    @Timeout(120)
    void caseCategoryCandidatesOfOneWeekEscalatedFirstThenByExcessTickets() throws Exception {
        try (ClickHouseTestDatabase db = ClickHouseTestDatabase.create("it_alert_dash")) {
            execute(
                    db,
                    List.of(
                            // NOISE: the week's later version (2) escalated it; inserted first
                            weekRow("2026-11-09", "NOISE", 3, true, 40, 2),
                            weekRow("2026-11-09", "NOISE", 1, false, 10, 1),
                            weekRow("2026-11-09", "WATER", 2, false, 55, 1),
                            weekRow("2026-11-09", "TRAFFIC", 1, false, 12.5, 1),
                            weekRow("2026-11-09", "HOUSING", 4, true, 20, 1),
                            // another week: not shown
                            weekRow("2026-11-02", "LABOUR", 9, true, 99, 1),
                            "INSERT INTO catalogue (category_code, category_major, item_name_en,"
                                    + " item_name_zh, major_name_en, major_name_zh, agency,"
                                    + " default_resolution_hours, dispatch_limit_minutes,"
                                    + " major_rank, item_rank, version) VALUES"
                                    + " ('NOISE-CONSTRUCTION', 'NOISE', 'Construction noise',"
                                    + " '施工噪声', 'Noise', '噪声', 'ECOLOGY_ENVIRONMENT', 72,"
                                    + " NULL, 4, 1, 1)"));
            List<JsonNode> week =
                    rows(
                            db.dashboard(
                                    DASHBOARDS.resolve("case_category_candidates_week.sql"),
                                    Map.of("week_start", "2026-11-09")));
            assertThat(week)
                    .extracting(
                            r ->
                                    r.get("category_major").asText()
                                            + " "
                                            + r.get("escalated").asBoolean()
                                            + " "
                                            + r.get("excess_tickets").asDouble())
                    .containsExactly(
                            "NOISE true 40.0",
                            "HOUSING true 20.0",
                            "WATER false 55.0",
                            "TRAFFIC false 12.5");
            JsonNode noise = week.get(0);
            assertThat(noise.get("alerts").asInt()).isEqualTo(3);
            assertThat(noise.get("last_alert_id").asText()).isEqualTo("NOISE-last-v2");
            assertThat(noise.get("week_start").asText()).isEqualTo("2026-11-09");
            assertThat(noise.get("major_name_zh").asText()).isEqualTo("噪声");
            assertThat(noise.get("major_name_en").asText()).isEqualTo("Noise");
            assertThat(noise.get("districts").asText()).isEqualTo("Baoan:3.5");
            assertThat(week.get(1).get("major_name_zh").asText())
                    .as("no catalogue row for HOUSING: an empty name, the row still shows")
                    .isEmpty();
            assertThat(
                            db.dashboard(
                                    DASHBOARDS.resolve("case_category_candidates_week.sql"),
                                    Map.of("week_start", "2026-11-16")))
                    .isEmpty();
        }
    }
}
