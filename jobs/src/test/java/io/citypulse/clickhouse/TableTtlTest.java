package io.citypulse.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reading a TTL from {@code system.tables.engine_full}. The texts are what the engine (chDB 26.7)
 * printed for tables created with these clauses.
 */
class TableTtlTest {

    private static final String COUNTS_5M =
            "ReplacingMergeTree(version) PARTITION BY toYYYYMMDD(window_start) ORDER BY"
                    + " (window_start, category_major, category_code, district, agency, channel) TTL"
                    + " toDateTime(window_start) + toIntervalDay(90) SETTINGS index_granularity = 8192";

    @Test
    void oneDeleteRuleOnTheColumnIsTheTtl() {
        assertThat(TableTtl.parse(COUNTS_5M, "window_start")).contains(Duration.ofDays(90));
        assertThat(
                        TableTtl.parse(
                                "MergeTree ORDER BY t TTL t + toIntervalWeek(3) SETTINGS"
                                        + " index_granularity = 8192",
                                "t"))
                .contains(Duration.ofDays(21));
        // Without a SETTINGS clause after it.
        assertThat(
                        TableTtl.parse(
                                "MergeTree ORDER BY t TTL toDateTime(t) + toIntervalHour(36)", "t"))
                .contains(Duration.ofHours(36));
    }

    @Test
    void calendarUnitsCountAsTheirLongest() {
        assertThat(TableTtl.parse("MergeTree ORDER BY t TTL t + toIntervalMonth(2)", "t"))
                .contains(Duration.ofDays(62));
        assertThat(TableTtl.parse("MergeTree ORDER BY t TTL t + toIntervalQuarter(1)", "t"))
                .contains(Duration.ofDays(92));
        assertThat(TableTtl.parse("MergeTree ORDER BY t TTL t + toIntervalYear(2)", "t"))
                .contains(Duration.ofDays(732));
    }

    @Test
    void anythingButOnePlainRuleOnTheColumnIsNoTtl() {
        // No TTL (also what REMOVE TTL leaves).
        assertThat(
                        TableTtl.parse(
                                "ReplacingMergeTree ORDER BY t SETTINGS index_granularity = 8192",
                                "t"))
                .isEmpty();
        // Another column.
        assertThat(TableTtl.parse(COUNTS_5M, "window_end")).isEmpty();
        // Several rules, one of them conditional.
        assertThat(
                        TableTtl.parse(
                                "MergeTree ORDER BY t TTL t + toIntervalMonth(1), toDateTime(t) +"
                                        + " toIntervalYear(2) WHERE x = 1 SETTINGS index_granularity ="
                                        + " 8192",
                                "t"))
                .isEmpty();
        // Moves to another disk instead of deleting.
        assertThat(
                        TableTtl.parse(
                                "MergeTree ORDER BY t TTL toDateTime(t) + toIntervalDay(7) TO VOLUME"
                                        + " 'cold' SETTINGS index_granularity = 8192",
                                "t"))
                .isEmpty();
        assertThat(TableTtl.parse(null, "t")).isEmpty();
    }

    @Test
    void rowsExpireOnlyAMarginAfterTheTtl() {
        long now = Instant.parse("2026-11-28T12:00:00Z").toEpochMilli();
        long before = TableTtl.expiredBefore(Duration.ofDays(90), now);
        // 2026-11-28 minus 90 days is 2026-08-30; one day of margin before that.
        assertThat(Instant.ofEpochMilli(before)).isEqualTo(Instant.parse("2026-08-29T12:00:00Z"));
    }

    @Test
    void theColumnMayBeQuoted() {
        assertThat(
                        TableTtl.parse(
                                "MergeTree ORDER BY window_start TTL toDateTime(`window_start`) +"
                                        + " toIntervalDay(1)",
                                "window_start"))
                .isEqualTo(Optional.of(Duration.ofDays(1)));
    }

    @Test
    void aDistributedTableNamesTheTableWhoseTtlCounts() {
        // deploy/clickhouse/cluster.sql's form; ClickHouse stores the names as literals. Not
        // checked against a real cluster (chDB has none): any other form reads as no TTL.
        assertThat(
                        TableTtl.distributedTarget(
                                "Distributed('{cluster}', 'citypulse', 'ticket_counts_5m_local',"
                                        + " cityHash64(category_code, district))"))
                .hasValueSatisfying(
                        t -> assertThat(t).containsExactly("citypulse", "ticket_counts_5m_local"));
        assertThat(TableTtl.distributedTarget("Distributed(logs, default, hits_local)")).isEmpty();
        assertThat(TableTtl.distributedTarget("Distributed('logs', default, hits_local)"))
                .hasValueSatisfying(t -> assertThat(t).containsExactly("default", "hits_local"));
        assertThat(TableTtl.distributedTarget(COUNTS_5M)).isEmpty();
        assertThat(TableTtl.distributedTarget(null)).isEmpty();
    }

    @Test
    void aTtlReadsAsDaysOrHoursInTheLog() {
        assertThat(TableTtl.describe(Duration.ofDays(90))).isEqualTo("90 days");
        assertThat(TableTtl.describe(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(TableTtl.describe(Duration.ofHours(36))).isEqualTo("36 hours");
        assertThat(TableTtl.describe(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
    }
}
