package io.citypulse.sqlbaseline;

import io.citypulse.counts.Granularity;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of {@link HotspotSqlJob}: the deduplicated views over the {@code tickets} and {@code
 * leads} tables and the 5-minute, hourly and daily window aggregates. The measure expressions are
 * the SQL statement of what {@code TicketFacts} and {@code LeadFacts} map each event to (a CREATED
 * ticket also counts as emergency and/or expedited).
 */
final class HotspotSql {

    /** Ticket measures, in the order of {@code TicketFacts.MEASURES}, as SQL predicates. */
    static final List<String[]> TICKET_MEASURES =
            List.of(
                    new String[] {"created", "type = 'CREATED'"},
                    new String[] {"emergency", "type = 'CREATED' AND urgency = 'EMERGENCY'"},
                    new String[] {"expedited", "type = 'CREATED' AND expedited"},
                    new String[] {"dispatched", "type = 'DISPATCHED'"},
                    new String[] {"returned", "type = 'RETURNED'"},
                    new String[] {"accepted", "type = 'ACCEPTED'"},
                    new String[] {"resolved", "type = 'RESOLVED'"},
                    new String[] {"closed", "type = 'CLOSED'"},
                    new String[] {"reopened", "type = 'REOPENED'"});

    /** Lead measures, in the order of {@code LeadFacts.MEASURES}. */
    static final List<String[]> LEAD_MEASURES =
            List.of(
                    new String[] {"captured", "type = 'CAPTURED'"},
                    new String[] {"verified_valid", "type = 'VERIFIED_VALID'"},
                    new String[] {"verified_invalid", "type = 'VERIFIED_INVALID'"},
                    new String[] {"converted", "type = 'CONVERTED'"});

    private HotspotSql() {}

    /**
     * A view of {@code table} with each (entity, event id) once: the first arrival wins, as in the
     * DataStream job's gate. Dimensions are never null (null becomes '', as in {@code
     * CountFact.key}), so NULL and '' group together as they do there.
     */
    static String dedupView(
            String view,
            String table,
            String entityColumn,
            List<String> dimensions,
            List<String> others) {
        List<String> columns = new ArrayList<>();
        for (String d : dimensions) {
            columns.add("COALESCE(" + d + ", '') AS " + d);
        }
        columns.addAll(others);
        columns.add("rowtime");
        return "CREATE TEMPORARY VIEW "
                + view
                + " AS SELECT "
                + String.join(", ", columns)
                + " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
                + entityColumn
                + ", event_id ORDER BY proctime ASC) AS rn FROM "
                + table
                + ") WHERE rn = 1";
    }

    /**
     * The counts of {@code view} per dimension combination in tumbling 5-minute, 1-hour and 1-day
     * windows of the city's wall clock ({@code rowtime}), as one result with a granularity tag
     * column first: {@code granularity, window_start, window_end, dimensions..., measures...}.
     */
    static String countsQuery(String view, List<String> dimensions, List<String[]> measures) {
        String dims = String.join(", ", dimensions);
        String counts =
                measures.stream()
                        .map(m -> "COUNT(*) FILTER (WHERE " + m[1] + ") AS " + m[0])
                        .collect(Collectors.joining(", "));
        List<String> parts = new ArrayList<>();
        for (Granularity g : Granularity.values()) {
            parts.add(
                    "SELECT '"
                            + g.suffix()
                            + "' AS granularity, window_start, window_end, "
                            + dims
                            + ", "
                            + counts
                            + " FROM TABLE(TUMBLE(TABLE "
                            + view
                            + ", DESCRIPTOR(rowtime), "
                            + interval(g)
                            + ")) GROUP BY window_start, window_end, "
                            + dims);
        }
        return String.join("\nUNION ALL\n", parts);
    }

    private static String interval(Granularity g) {
        return switch (g) {
            case FIVE_MINUTES -> "INTERVAL '5' MINUTE";
            case HOUR -> "INTERVAL '1' HOUR";
            case DAY -> "INTERVAL '1' DAY";
        };
    }
}
