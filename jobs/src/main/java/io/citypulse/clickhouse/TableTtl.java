package io.citypulse.clickhouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's row TTL, when it is one plain delete rule on a time column: {@code TTL
 * toDateTime(column) + INTERVAL n unit}. Rows older than that are deleted by the table's next TTL
 * merge, so a sink need not send them (a replay of last year's history writes 5-minute rows that
 * the table keeps for 90 days).
 *
 * <p>A {@code Distributed} table (deploy/clickhouse: the jobs insert into one in front of each
 * replicated local table) has the TTL of the table it forwards to, read from the node the sink
 * talks to.
 *
 * <p>Anything else (no TTL, several rules, {@code DELETE WHERE}, {@code TO DISK}/{@code TO VOLUME},
 * {@code GROUP BY}, another column) reads as no TTL, and every row is sent. Months, quarters and
 * years count as their longest (31, 92 and 366 days), so a row is never taken for expired before
 * ClickHouse would delete it.
 */
public final class TableTtl {

    /**
     * A row counts as expired only once it is this much older than the TTL: the job's and the
     * server's clocks may differ, and ClickHouse adds days on its local calendar (a DST day is 23
     * or 25 hours).
     */
    public static final Duration MARGIN = Duration.ofDays(1);

    // engine_full spells the TTL as ClickHouse normalises it, e.g.
    // "TTL toDateTime(c) + toIntervalDay(90)", and ends the clause with " SETTINGS ..." or the
    // end of the text.
    private static final Pattern CLAUSE = Pattern.compile(" TTL (.*?)(?: SETTINGS |$)");
    private static final Pattern RULE =
            Pattern.compile(
                    "(?:toDateTime\\(`?(\\w+)`?\\)|`?(\\w+)`?)"
                            + " \\+ toInterval(Second|Minute|Hour|Day|Week|Month|Quarter|Year)\\((\\d+)\\)");

    // "Distributed('{cluster}', 'citypulse', 'ticket_counts_5m_local', cityHash64(...))"; the
    // database and table may also appear as bare identifiers.
    private static final Pattern DISTRIBUTED =
            Pattern.compile("^Distributed\\('[^']*', ?'?(\\w+)'?, ?'?(\\w+)'?[,)]");

    private TableTtl() {}

    /**
     * The database and table a {@code Distributed} table with this {@code engine_full} forwards to,
     * or empty when it is not one (or its arguments are not plain names).
     */
    static Optional<String[]> distributedTarget(String engineFull) {
        if (engineFull == null) {
            return Optional.empty();
        }
        Matcher m = DISTRIBUTED.matcher(engineFull);
        return m.find() ? Optional.of(new String[] {m.group(1), m.group(2)}) : Optional.empty();
    }

    /**
     * The TTL of a table whose {@code system.tables.engine_full} is {@code engineFull}, when it is
     * one plain delete rule on {@code column}; empty otherwise.
     */
    public static Optional<Duration> parse(String engineFull, String column) {
        if (engineFull == null || column == null) {
            return Optional.empty();
        }
        Matcher clause = CLAUSE.matcher(engineFull);
        if (!clause.find()) {
            return Optional.empty();
        }
        Matcher rule = RULE.matcher(clause.group(1).trim());
        if (!rule.matches()) {
            return Optional.empty();
        }
        String ruleColumn = rule.group(1) != null ? rule.group(1) : rule.group(2);
        if (!ruleColumn.equals(column)) {
            return Optional.empty();
        }
        long n = Long.parseLong(rule.group(4));
        Duration unit =
                switch (rule.group(3)) {
                    case "Second" -> Duration.ofSeconds(1);
                    case "Minute" -> Duration.ofMinutes(1);
                    case "Hour" -> Duration.ofHours(1);
                    case "Day" -> Duration.ofDays(1);
                    case "Week" -> Duration.ofDays(7);
                    case "Month" -> Duration.ofDays(31);
                    case "Quarter" -> Duration.ofDays(92);
                    default -> Duration.ofDays(366);
                };
        return Optional.of(unit.multipliedBy(n));
    }

    /**
     * Reads the TTL of {@code table} in the connection's current database (see {@link #parse}), or
     * of the table a {@code Distributed} table forwards to; empty when the table is not listed
     * there (e.g. the user may not see it).
     */
    public static Optional<Duration> read(Connection connection, String table, String column)
            throws SQLException {
        String engineFull = engineFull(connection, null, table);
        Optional<String[]> target = distributedTarget(engineFull);
        if (target.isPresent()) {
            engineFull = engineFull(connection, target.get()[0], target.get()[1]);
        }
        return parse(engineFull, column);
    }

    /** The table's {@code engine_full}; {@code database} null: the current one. */
    private static String engineFull(Connection connection, String database, String table)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement(
                        "SELECT engine_full FROM system.tables WHERE database = "
                                + (database == null ? "currentDatabase()" : "?")
                                + " AND name = ?")) {
            int i = 1;
            if (database != null) {
                ps.setString(i++, database);
            }
            ps.setString(i, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** "90 days", "36 hours", or the ISO form for anything else. */
    public static String describe(Duration d) {
        if (d.toHours() * 3_600_000L == d.toMillis()) {
            long hours = d.toHours();
            if (hours % 24 == 0) {
                return hours / 24 + (hours == 24 ? " day" : " days");
            }
            return hours + (hours == 1 ? " hour" : " hours");
        }
        return d.toString();
    }

    /**
     * The time before which a row's {@code column} value means the table has deleted it already, at
     * wall-clock time {@code nowMillis}.
     */
    public static long expiredBefore(Duration ttl, long nowMillis) {
        return nowMillis - ttl.toMillis() - MARGIN.toMillis();
    }
}
