package io.citypulse.hotspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotspotJob end to end against the real services. The simulator writes a day of the city; the test
 * re-delivers it to fresh single-partition topics with faults — shuffled within 30 s, duplicates,
 * events hours late, lifecycle steps of tickets that were never created, malformed bytes — and runs
 * the job bounded in a local embedded Flink with RocksDB and checkpoints into a fresh ClickHouse
 * database. Every row of every count table is compared with counts recomputed independently from
 * the simulator's JSON lines, and {@code rejected_events} with the injected faults. A second run
 * over the same input must leave the same results.
 */
class HotspotJobITCase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final int MALFORMED = 7;
    private static final int LATE = 5;
    private static final int ORPHANS = 4;
    private static final List<String> TICKET_MEASURES =
            List.of(
                    "created",
                    "emergency",
                    "expedited",
                    "dispatched",
                    "returned",
                    "accepted",
                    "resolved",
                    "closed",
                    "reopened");
    private static final List<String> LEAD_MEASURES =
            List.of("captured", "verified_valid", "verified_invalid", "converted");

    @TempDir Path tmp;

    @Test
    @Timeout(600)
    void shouldCountEveryTableExactlyDespiteFaultsAndStayIdempotentOnReplay() throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase clickHouse = ClickHouseTestDatabase.create("it_hotspot")) {
            String simTickets = kafka.create("it-sim-tickets", 1);
            String simLeads = kafka.create("it-sim-leads", 1);
            String tickets = kafka.create("it-tickets", 1);
            String leads = kafka.create("it-leads", 1);
            String deadLetters = kafka.create("it-dead-letters", 1);
            Path jsonl = tmp.resolve("events.jsonl");
            int rc =
                    Simulate.run(
                            new String[] {
                                "--hours",
                                "24",
                                "--seed",
                                "7",
                                "--tickets-per-hour",
                                "200",
                                "--bootstrap",
                                kafka.bootstrap(),
                                "--tickets-topic",
                                simTickets,
                                "--leads-topic",
                                simLeads,
                                "--jsonl",
                                jsonl.toString()
                            },
                            Map.of(),
                            System.out,
                            System.err);
            assertThat(rc).as("simulator exit code").isZero();

            Random random = new Random(3);
            kafka.produce(tickets, withFaults(kafka.readAll(simTickets), random, true));
            kafka.produce(leads, withFaults(kafka.readAll(simLeads), random, false));

            Map<String, Long> expected = oracle(jsonl);
            assertThat(expected).as("the input has rows of every table").hasSizeGreaterThan(1000);

            for (int run = 1; run <= 2; run++) {
                HotspotJob.main(jobArgs(kafka, clickHouse, tickets, leads, deadLetters, run));

                Map<String, Long> reasons = new TreeMap<>();
                for (Map<String, Object> r :
                        clickHouse.query(
                                "SELECT reason, count() AS n FROM rejected_events FINAL GROUP BY reason")) {
                    reasons.put((String) r.get("reason"), ((Number) r.get("n")).longValue());
                }
                assertThat(reasons)
                        .isEqualTo(
                                Map.of(
                                        "NOT_SINGLE_OBJECT", 2L * MALFORMED,
                                        "LATE", (long) LATE,
                                        "UNKNOWN_TICKET", (long) ORPHANS));
                assertSameCounts(actual(clickHouse), expected, run);
                // The latest city-wide leader's volume is the hour's CREATED count of its pair.
                Map<String, Object> top =
                        clickHouse
                                .query(
                                        "SELECT toUnixTimestamp64Milli(window_end) AS we, category_major,"
                                                + " district, volume FROM hotspots FINAL"
                                                + " WHERE scope = 'city' AND rank = 1"
                                                + " ORDER BY window_end DESC LIMIT 1")
                                .get(0);
                long windowEnd = ((Number) top.get("we")).longValue();
                assertThat(
                                clickHouse.queryLong(
                                        "SELECT sum(created) FROM ticket_counts_5m FINAL"
                                                + " WHERE category_major = '"
                                                + top.get("category_major")
                                                + "' AND district = '"
                                                + top.get("district")
                                                + "' AND toUnixTimestamp64Milli(window_start) >= "
                                                + (windowEnd - 3_600_000L)
                                                + " AND toUnixTimestamp64Milli(window_start) < "
                                                + windowEnd))
                        .isEqualTo(((Number) top.get("volume")).longValue());
                assertThat(
                                clickHouse.queryLong(
                                        "SELECT count() FROM hotspots FINAL WHERE scope = 'city' AND rank = 1"))
                        .as("a city-wide ranking at most every 5 minutes, for most of the day")
                        .isBetween(200L, 288L);
            }
            // Every hotspot dashboard panel answers with rows for the simulated day.
            Path dashboards = io.citypulse.testutils.RepoPaths.root().resolve("sql/dashboard");
            Map<String, String> params =
                    Map.of(
                            "day", "2026-11-02",
                            "hour", "2026-11-02 10:00:00",
                            "scope", "city",
                            "category", "NOISE");
            for (String panel :
                    List.of(
                            "volume_by_district_today.sql",
                            "top_categories_this_hour.sql",
                            "busiest_agencies_today.sql",
                            "hotspot_list.sql",
                            "category_trend_7d.sql",
                            "leads_by_platform_today.sql")) {
                assertThat(clickHouse.dashboard(dashboards.resolve(panel), params))
                        .as(panel)
                        .isNotEmpty();
            }
            long createdOnTheDay =
                    expected.entrySet().stream()
                            .filter(
                                    e ->
                                            e.getKey().startsWith("ticket_counts_1d ")
                                                    && e.getKey().endsWith(" created"))
                            .mapToLong(Map.Entry::getValue)
                            .sum();
            long shownByDistrict =
                    clickHouse
                            .dashboard(dashboards.resolve("volume_by_district_today.sql"), params)
                            .stream()
                            .mapToLong(
                                    l ->
                                            Long.parseLong(
                                                    l.replaceAll(
                                                            ".*\"created\":\"?(\\d+).*", "$1")))
                            .sum();
            assertThat(shownByDistrict).isEqualTo(createdOnTheDay);
            assertThat(kafka.readAll(deadLetters)).hasSize(2 * (2 * MALFORMED + LATE + ORPHANS));
        }
    }

    /** Equality of two count maps, reporting the first differences rather than both maps. */
    private static void assertSameCounts(
            Map<String, Long> actual, Map<String, Long> expected, int run) {
        List<String> differences = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(union(actual.keySet(), expected.keySet()))) {
            if (!java.util.Objects.equals(actual.get(key), expected.get(key))) {
                differences.add(
                        key + ": table " + actual.get(key) + ", oracle " + expected.get(key));
            }
        }
        Map<String, List<String>> byTable = new TreeMap<>();
        for (String d : differences) {
            List<String> l =
                    byTable.computeIfAbsent(d.substring(0, d.indexOf(' ')), k -> new ArrayList<>());
            if (l.size() < 4) {
                l.add(d);
            }
        }
        differences = byTable.values().stream().flatMap(List::stream).toList();
        assertThat(differences)
                .as(
                        "run %d: %d of %d oracle entries differ, first ones",
                        run, differences.size(), expected.size())
                .isEqualTo(List.of());
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The input as delivered: shuffled within blocks of 30 seconds of event time (well inside the
     * one-minute out-of-orderness; the record timestamp is the event time), one in 15 records
     * delivered twice, malformed records; for tickets also CREATED events hours late and DISPATCHED
     * events of tickets that were never created.
     */
    private static List<byte[]> withFaults(
            List<ConsumerRecord<byte[], byte[]>> records, Random random, boolean tickets) {
        List<byte[]> values = records.stream().map(ConsumerRecord::value).toList();
        List<byte[]> out = new ArrayList<>();
        List<byte[]> block = new ArrayList<>();
        long blockOf = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long bucket = Math.floorDiv(r.timestamp(), 30_000L);
            if (bucket != blockOf) {
                Collections.shuffle(block, random);
                out.addAll(block);
                block.clear();
                blockOf = bucket;
            }
            block.add(r.value());
        }
        Collections.shuffle(block, random);
        out.addAll(block);
        // Redeliver one record in 15 a few records after the original (never before it).
        List<byte[]> withDuplicates = new ArrayList<>();
        Map<Integer, List<byte[]>> due = new HashMap<>();
        for (int j = 0; j < out.size(); j++) {
            withDuplicates.add(out.get(j));
            if (j % 15 == 0) {
                due.computeIfAbsent(j + 1 + random.nextInt(10), k -> new ArrayList<>())
                        .add(out.get(j));
            }
            withDuplicates.addAll(due.getOrDefault(j, List.of()));
        }
        out = withDuplicates;
        for (int i = 0; i < MALFORMED; i++) {
            out.add(random.nextInt(out.size()), ("garbage " + i).getBytes(StandardCharsets.UTF_8));
        }
        if (tickets) {
            AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
            TicketEvent last = decode(codec, values.get(values.size() - 1));
            for (int i = 0; i < ORPHANS; i++) {
                TicketEvent orphan =
                        TicketEvent.newBuilder(last)
                                .setEventId("orphan-" + i + "#1")
                                .setTicketId("orphan-" + i)
                                .setType(TicketEventType.DISPATCHED)
                                .setAgency("Nowhere Bureau")
                                .build();
                out.add(out.size() - 50 + i, codec.encode(orphan));
            }
            TicketEvent first = decode(codec, values.get(0));
            for (int i = 0; i < LATE; i++) {
                TicketEvent late =
                        TicketEvent.newBuilder(first)
                                .setEventId("late-" + i + "#0")
                                .setTicketId("late-" + i)
                                .build();
                out.add(codec.encode(late));
            }
        }
        return out;
    }

    private static TicketEvent decode(AvroCodec<TicketEvent> codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (Exception e) {
            throw new IllegalStateException("the simulator wrote an undecodable record", e);
        }
    }

    private String[] jobArgs(
            KafkaTestTopics kafka,
            ClickHouseTestDatabase clickHouse,
            String tickets,
            String leads,
            String deadLetters,
            int run) {
        return new String[] {
            "--bounded",
            "--bootstrap",
            kafka.bootstrap(),
            "--tickets-topic",
            tickets,
            "--leads-topic",
            leads,
            "--dead-letter-topic",
            deadLetters,
            "--group-id",
            "it-hotspot-" + run,
            "--clickhouse-url",
            clickHouse.settings().url(),
            "--clickhouse-database",
            clickHouse.name(),
            "--sink-batch-rows",
            "2000",
            "-Dstate.backend.type=rocksdb",
            "-Dexecution.checkpointing.interval=2s",
            "-Dexecution.checkpointing.dir=" + tmp.resolve("checkpoints-" + run).toUri(),
            "-Dparallelism.default=2",
            "-Drestart-strategy.type=none"
        };
    }

    /**
     * The oracle: every simulated event once, counted in its 5-minute, local-hour and local-day
     * window by its dimensions, straight from the JSON lines.
     */
    private static Map<String, Long> oracle(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode e = json.readTree(line);
                Instant t = Instant.ofEpochMilli(e.get("eventTime").asLong());
                boolean ticket = e.get("kind").asText().equals("ticket");
                String type = e.get("type").asText();
                List<String> measures = new ArrayList<>();
                String dims;
                if (ticket) {
                    dims =
                            text(e, "categoryMajor")
                                    + "|"
                                    + text(e, "categoryCode")
                                    + "|"
                                    + text(e, "district")
                                    + "|"
                                    + text(e, "agency")
                                    + "|"
                                    + text(e, "channel");
                    measures.add(type.toLowerCase());
                    if (type.equals("CREATED") && e.get("urgency").asText().equals("EMERGENCY")) {
                        measures.add("emergency");
                    }
                    if (type.equals("CREATED") && e.get("expedited").asBoolean()) {
                        measures.add("expedited");
                    }
                } else {
                    dims =
                            text(e, "categoryMajor")
                                    + "|"
                                    + text(e, "categoryCode")
                                    + "|"
                                    + text(e, "district")
                                    + "|"
                                    + text(e, "platform");
                    measures.add(type.toLowerCase());
                }
                String table = ticket ? "ticket_counts_" : "lead_counts_";
                for (String[] w : windows(t)) {
                    for (String m : measures) {
                        counts.merge(
                                table + w[0] + " " + w[1] + " " + dims + " " + m, 1L, Long::sum);
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

    /** (suffix, window start in epoch ms) of the 5-minute, local-hour and local-day windows. */
    private static List<String[]> windows(Instant t) {
        long ms = t.toEpochMilli();
        long fiveMinutes = ms - Math.floorMod(ms, 300_000L);
        long hour =
                t.atZone(ZONE).withMinute(0).withSecond(0).withNano(0).toInstant().toEpochMilli();
        LocalDate day = t.atZone(ZONE).toLocalDate();
        long dayStart = day.atStartOfDay(ZONE).toInstant().toEpochMilli();
        return List.of(
                new String[] {"5m", Long.toString(fiveMinutes)},
                new String[] {"1h", Long.toString(hour)},
                new String[] {"1d", Long.toString(dayStart)});
    }

    private static Map<String, Long> actual(ClickHouseTestDatabase clickHouse) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (String g : List.of("5m", "1h", "1d")) {
            read(
                    clickHouse,
                    "ticket_counts_" + g,
                    "category_major, category_code, district, agency, channel",
                    TICKET_MEASURES,
                    counts);
            read(
                    clickHouse,
                    "lead_counts_" + g,
                    "category_major, category_code, district, platform",
                    LEAD_MEASURES,
                    counts);
        }
        return new TreeMap<>(counts);
    }

    private static void read(
            ClickHouseTestDatabase clickHouse,
            String table,
            String dims,
            List<String> measures,
            Map<String, Long> counts)
            throws Exception {
        String sql =
                "SELECT toUnixTimestamp64Milli(window_start) AS ws, concat_ws('|', "
                        + dims
                        + ") AS dims, is_final, "
                        + String.join(", ", measures)
                        + " FROM "
                        + table
                        + " FINAL";
        for (Map<String, Object> row : clickHouse.query(sql)) {
            assertThat(((Number) row.get("is_final")).intValue())
                    .as("final after a bounded run")
                    .isEqualTo(1);
            for (String m : measures) {
                long n = ((Number) row.get(m)).longValue();
                if (n != 0) {
                    String key =
                            table
                                    + " "
                                    + ((Number) row.get("ws")).longValue()
                                    + " "
                                    + row.get("dims")
                                    + " "
                                    + m;
                    assertThat(counts.put(key, n))
                            .as("one row per window and key: " + key)
                            .isNull();
                }
            }
        }
    }
}
