package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.hotspot.functions.LeadFacts;
import io.citypulse.hotspot.functions.TicketFacts;
import io.citypulse.testutils.ClickHouseTestDatabase;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * HotspotJob's six count tables in ClickHouse against an independent oracle computed from the
 * simulator's JSON lines, for the tests that stop, restart or upgrade the job mid-input. The
 * tables' columns are read by the jobs' own lists of them ({@code TicketFacts}, {@code LeadFacts});
 * a column missing from those would leave oracle counts unmatched, so the counts themselves stay
 * independent.
 */
final class CountTables {

    private CountTables() {}

    /** The six count tables as "table windowStart dims measure" -> count (zeros left out). */
    static Map<String, Long> in(ClickHouseTestDatabase db) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (String g : List.of("5m", "1h", "1d")) {
            read(db, "ticket_counts_" + g, TicketFacts.DIMENSIONS, TicketFacts.MEASURES, out);
            read(db, "lead_counts_" + g, LeadFacts.DIMENSIONS, LeadFacts.MEASURES, out);
        }
        return out;
    }

    private static void read(
            ClickHouseTestDatabase db,
            String table,
            List<String> dims,
            List<String> measures,
            Map<String, Long> out)
            throws Exception {
        for (Map<String, Object> r : db.query(sqlFor(table, dims, measures))) {
            for (String m : measures) {
                long v = ((Number) r.get(m)).longValue();
                if (v != 0) {
                    out.put(table + " " + r.get("ws") + " " + r.get("dims") + " " + m, v);
                }
            }
        }
    }

    private static String sqlFor(String table, List<String> dims, List<String> measures) {
        List<String> parts = new ArrayList<>();
        for (String d : dims) {
            parts.add("ifNull(toString(" + d + "), '')");
        }
        return "SELECT toUnixTimestamp64Milli(window_start) AS ws, concatWithSeparator('|', "
                + String.join(", ", parts)
                + ") AS dims, "
                + String.join(", ", measures)
                + " FROM "
                + table
                + " FINAL";
    }

    /**
     * The independent oracle: every simulated event once, counted in its 5-minute, local-hour and
     * local-day window by its dimensions, straight from the JSON lines.
     */
    static Map<String, Long> oracle(Path jsonl, ZoneId zone) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode e = json.readTree(line);
                Instant t = Instant.ofEpochMilli(e.get("eventTime").asLong());
                boolean ticket = e.get("kind").asText().equals("ticket");
                String type = e.get("type").asText();
                List<String> measures = new ArrayList<>(List.of(type.toLowerCase()));
                String dims;
                if (ticket) {
                    dims =
                            String.join(
                                    "|",
                                    text(e, "categoryMajor"),
                                    text(e, "categoryCode"),
                                    text(e, "district"),
                                    text(e, "agency"),
                                    text(e, "channel"));
                    if (type.equals("CREATED") && e.get("urgency").asText().equals("EMERGENCY")) {
                        measures.add("emergency");
                    }
                    if (type.equals("CREATED") && e.get("expedited").asBoolean()) {
                        measures.add("expedited");
                    }
                } else {
                    dims =
                            String.join(
                                    "|",
                                    text(e, "categoryMajor"),
                                    text(e, "categoryCode"),
                                    text(e, "district"),
                                    text(e, "platform"));
                }
                String table = ticket ? "ticket_counts_" : "lead_counts_";
                long ms = t.toEpochMilli();
                LocalDate day = t.atZone(zone).toLocalDate();
                Map<String, Long> windows =
                        Map.of(
                                "5m", ms - Math.floorMod(ms, 300_000L),
                                "1h",
                                        t.atZone(zone)
                                                .withMinute(0)
                                                .withSecond(0)
                                                .withNano(0)
                                                .toInstant()
                                                .toEpochMilli(),
                                "1d", day.atStartOfDay(zone).toInstant().toEpochMilli());
                for (Map.Entry<String, Long> w : windows.entrySet()) {
                    for (String m : measures) {
                        counts.merge(
                                table + w.getKey() + " " + w.getValue() + " " + dims + " " + m,
                                1L,
                                Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** Equality of two count maps, reporting the first differences per table. */
    static void assertSame(Map<String, Long> actual, Map<String, Long> expected) {
        Set<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        Map<String, List<String>> byTable = new TreeMap<>();
        int differing = 0;
        for (String key : keys) {
            if (!Objects.equals(actual.get(key), expected.get(key))) {
                differing++;
                List<String> l =
                        byTable.computeIfAbsent(
                                key.substring(0, key.indexOf(' ')), k -> new ArrayList<>());
                if (l.size() < 4) {
                    l.add(key + ": table " + actual.get(key) + ", oracle " + expected.get(key));
                }
            }
        }
        assertThat(byTable)
                .as("%d of %d count entries differ from the oracle", differing, keys.size())
                .isEmpty();
    }
}
