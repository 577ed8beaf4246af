package io.citypulse.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.serde.AvroCodec;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The end of a drill: every ClickHouse table the drilled jobs write, the Kafka topics they write
 * and what the webhook receiver processed, compared with what the input says they must hold. The
 * expectations are computed here from the simulator's JSON lines and the producer's record of the
 * malformed records it injected, with no job code: counts per window and dimension (each event
 * once, by eventId), hotspot volumes, dead letters per job and reason, and for alerts the
 * invariants that hold whatever the detector decides (one OPENED per episode, revisions without
 * gaps, ClickHouse holding the newest revision, the injected surge found once, each alert record
 * processed once by the idempotent receiver).
 *
 * <p>Polls until everything matches or the deadline passes, so a drill need not guess when the
 * sinks are done; the last comparison is the verdict.
 */
final class DrillCheck {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
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

    /** One part of the verdict. */
    record Section(String name, boolean pass, Map<String, Object> figures, List<String> notes) {}

    /** What to check and where. */
    record Options(
            Path jsonl,
            Path producerSummary,
            String clickhouseUrl,
            String database,
            String bootstrap,
            Set<String> jobs,
            String ticketsTopic,
            String leadsTopic,
            String alertsTopic,
            String deadLetterTopic,
            String failuresTopic,
            Path receiverLog,
            String surgeCategory,
            long surgeStart,
            Duration patience) {}

    private final Options options;
    private final ClickHouseHttp clickHouse;
    private final Oracle oracle;
    private final JsonNode injected;

    DrillCheck(Options options) throws Exception {
        this.options = options;
        this.clickHouse = new ClickHouseHttp(options.clickhouseUrl(), options.database());
        this.oracle = Oracle.read(options.jsonl());
        this.injected = new ObjectMapper().readTree(options.producerSummary().toFile());
    }

    /** Runs the comparison until it passes or the deadline passes; returns the last verdict. */
    List<Section> await() throws Exception {
        long deadline = System.nanoTime() + options.patience().toNanos();
        while (true) {
            List<Section> sections;
            try {
                sections = evaluate();
            } catch (Exception e) {
                sections =
                        List.of(
                                new Section(
                                        "check",
                                        false,
                                        Map.of(),
                                        List.of("could not read the results: " + e)));
            }
            boolean pass = sections.stream().allMatch(Section::pass);
            if (pass || System.nanoTime() > deadline) {
                return sections;
            }
            Thread.sleep(5_000);
        }
    }

    static Map<String, Object> report(List<Section> sections) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pass", sections.stream().allMatch(Section::pass));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Section s : sections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("pass", s.pass());
            m.put("figures", s.figures());
            m.put("notes", s.notes());
            list.add(m);
        }
        out.put("sections", list);
        return out;
    }

    static String print(List<Section> sections) {
        StringBuilder b = new StringBuilder();
        for (Section s : sections) {
            b.append(
                    String.format(
                            "  %-4s %-20s %s%n", s.pass() ? "ok" : "FAIL", s.name(), s.figures()));
            for (String n : s.notes()) {
                b.append("         ").append(n).append('\n');
            }
        }
        return b.toString();
    }

    static String toJson(Object o) throws Exception {
        return JSON.writeValueAsString(o);
    }

    private List<Section> evaluate() throws Exception {
        List<Section> sections = new ArrayList<>();
        if (options.jobs().contains("hotspot")) {
            sections.add(counts());
            sections.add(hotspots());
        }
        sections.add(rejected());
        sections.add(deadLetters());
        if (options.jobs().contains("alerts")) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(options.alertsTopic());
            sections.add(alerts(records));
            if (options.jobs().contains("notifier")) {
                sections.add(notifications(records));
            }
        }
        return sections;
    }

    // ---------------------------------------------------------------------------------------
    // Counts

    private Section counts() throws Exception {
        Map<String, Long> actual = new TreeMap<>();
        long nonFinal = 0;
        List<String> notes = new ArrayList<>();
        for (String g : List.of("5m", "1h", "1d")) {
            nonFinal +=
                    readCounts(
                            "ticket_counts_" + g,
                            "category_major, category_code, district, agency, channel",
                            TICKET_MEASURES,
                            actual,
                            notes);
            nonFinal +=
                    readCounts(
                            "lead_counts_" + g,
                            "category_major, category_code, district, platform",
                            LEAD_MEASURES,
                            actual,
                            notes);
        }
        Map<String, Long> expected = oracle.counts;
        long lost = 0;
        long doubled = 0;
        int differing = 0;
        Map<String, long[]> byTable = new TreeMap<>();
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            long e = expected.getOrDefault(key, 0L);
            long a = actual.getOrDefault(key, 0L);
            String table = key.substring(0, key.indexOf(' '));
            long[] t = byTable.computeIfAbsent(table, k -> new long[2]);
            t[0] += e;
            t[1] += a;
            if (e != a) {
                differing++;
                lost += Math.max(0, e - a);
                doubled += Math.max(0, a - e);
                if (notes.size() < 8) {
                    notes.add(key + ": table " + a + ", oracle " + e);
                }
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("oracleEntries", expected.size());
        f.put("tableEntries", actual.size());
        f.put("differingEntries", differing);
        f.put("missingCounts", lost);
        f.put("extraCounts", doubled);
        f.put("nonFinalRows", nonFinal);
        Map<String, String> totals = new TreeMap<>();
        byTable.forEach((t, v) -> totals.put(t, v[1] + "/" + v[0]));
        f.put("totalsActualOverExpected", totals);
        return new Section("counts", differing == 0 && nonFinal == 0, f, notes);
    }

    private long readCounts(
            String table,
            String dims,
            List<String> measures,
            Map<String, Long> counts,
            List<String> notes)
            throws Exception {
        long nonFinal = 0;
        for (JsonNode row :
                clickHouse.query(
                        "SELECT toUnixTimestamp64Milli(window_start) AS ws, concat_ws('|', "
                                + dims
                                + ") AS dims, is_final, "
                                + String.join(", ", measures)
                                + " FROM "
                                + table
                                + " FINAL")) {
            if (row.get("is_final").asInt() != 1) {
                nonFinal++;
            }
            for (String m : measures) {
                long n = row.get(m).asLong();
                if (n != 0) {
                    String key =
                            table
                                    + " "
                                    + row.get("ws").asLong()
                                    + " "
                                    + row.get("dims").asText()
                                    + " "
                                    + m;
                    if (counts.put(key, n) != null && notes.size() < 8) {
                        notes.add("two rows for " + key);
                    }
                }
            }
        }
        return nonFinal;
    }

    /** Each ranked pair's volume is its CREATED tickets in the hour before the ranking. */
    private Section hotspots() throws Exception {
        int rows = 0;
        int wrong = 0;
        Set<Long> rankings = new HashSet<>();
        List<String> notes = new ArrayList<>();
        for (JsonNode r :
                clickHouse.query(
                        "SELECT toUnixTimestamp64Milli(window_end) AS we, scope, rank,"
                                + " category_major, district, volume FROM hotspots FINAL")) {
            rows++;
            long we = r.get("we").asLong();
            if (r.get("scope").asText().equals("city")) {
                rankings.add(we);
            }
            long expected = 0;
            for (long t = we - 3_600_000L; t < we; t += 300_000L) {
                expected +=
                        oracle.created5m.getOrDefault(
                                r.get("category_major").asText()
                                        + "|"
                                        + r.get("district").asText()
                                        + "|"
                                        + t,
                                0L);
            }
            if (expected != r.get("volume").asLong()) {
                wrong++;
                if (notes.size() < 5) {
                    notes.add(
                            "hotspot at "
                                    + Instant.ofEpochMilli(we)
                                    + " "
                                    + r.get("category_major").asText()
                                    + "/"
                                    + r.get("district").asText()
                                    + ": volume "
                                    + r.get("volume").asLong()
                                    + ", oracle "
                                    + expected);
                }
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("rows", rows);
        f.put("cityRankings", rankings.size());
        f.put("wrongVolumes", wrong);
        return new Section("hotspots", rows > 0 && wrong == 0, f, notes);
    }

    // ---------------------------------------------------------------------------------------
    // Dead letters

    /** Per job and reason: what each job must have rejected from the topics it reads. */
    private Map<String, Long> expectedRejections() {
        Map<String, Long> expected = new TreeMap<>();
        for (String job : options.jobs()) {
            List<String> topics =
                    switch (job) {
                        case "hotspot", "alerts" -> List.of("tickets", "leads");
                        case "sla" -> List.of("tickets");
                        default -> List.of();
                    };
            for (String topic : topics) {
                injected.path("malformed")
                        .path(topic)
                        .fields()
                        .forEachRemaining(
                                e ->
                                        expected.merge(
                                                job + " " + e.getKey(),
                                                e.getValue().asLong(),
                                                Long::sum));
            }
        }
        return expected;
    }

    private Section rejected() throws Exception {
        Map<String, Long> actual = new TreeMap<>();
        for (JsonNode r :
                clickHouse.query(
                        "SELECT job, reason, count() AS n FROM rejected_events FINAL"
                                + " GROUP BY job, reason")) {
            actual.put(r.get("job").asText() + " " + r.get("reason").asText(), r.get("n").asLong());
        }
        Map<String, Long> expected = expectedRejections();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("expected", expected);
        f.put("actual", actual);
        return new Section("rejected_events", actual.equals(expected), f, List.of());
    }

    private Section deadLetters() throws Exception {
        AvroCodec<DeadLetter> codec = AvroCodec.forType(DeadLetter.class);
        Map<String, Long> distinct = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long records = 0;
        for (ConsumerRecord<byte[], byte[]> r : readAll(options.deadLetterTopic())) {
            records++;
            DeadLetter d = codec.decode(r.value());
            String id =
                    d.getJob()
                            + " "
                            + d.getSourceTopic()
                            + "/"
                            + d.getSourcePartition()
                            + "/"
                            + d.getSourceOffset();
            if (seen.add(id)) {
                distinct.merge(d.getJob() + " " + d.getReason(), 1L, Long::sum);
            }
        }
        Map<String, Long> expected = expectedRejections();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("records", records);
        f.put("distinct", seen.size());
        f.put("redelivered", records - seen.size());
        f.put("distinctByJobAndReason", distinct);
        List<String> notes = new ArrayList<>();
        if (records > seen.size()) {
            notes.add(
                    "dead letters are at-least-once: "
                            + (records - seen.size())
                            + " re-sent after a restore (same source offset)");
        }
        return new Section("dead-letters (Kafka)", distinct.equals(expected), f, notes);
    }

    // ---------------------------------------------------------------------------------------
    // Alerts and notifications

    private Section alerts(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        AvroCodec<HotspotAlert> codec = AvroCodec.forType(HotspotAlert.class);
        Map<String, byte[]> byRevision = new HashMap<>();
        Map<String, TreeMap<Integer, HotspotAlert>> episodes = new TreeMap<>();
        long conflicting = 0;
        long repeated = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            HotspotAlert a = codec.decode(r.value());
            String id = a.getAlertId() + ":" + a.getRevision();
            byte[] before = byRevision.putIfAbsent(id, r.value());
            if (before != null) {
                repeated++;
                if (!Arrays.equals(before, r.value())) {
                    conflicting++;
                }
                continue;
            }
            episodes.computeIfAbsent(a.getAlertId(), k -> new TreeMap<>()).put(a.getRevision(), a);
        }
        List<String> notes = new ArrayList<>();
        int gaps = 0;
        int badOpened = 0;
        Map<String, List<HotspotAlert>> byKey = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, HotspotAlert>> e : episodes.entrySet()) {
            TreeMap<Integer, HotspotAlert> revs = e.getValue();
            if (revs.firstKey() != 0 || revs.lastKey() != revs.size() - 1) {
                gaps++;
                notes.add("revisions of " + e.getKey() + ": " + revs.keySet());
            }
            long opened =
                    revs.values().stream().filter(a -> a.getState() == AlertState.OPENED).count();
            if (opened != 1 || revs.get(0) == null || revs.get(0).getState() != AlertState.OPENED) {
                badOpened++;
                notes.add(e.getKey() + " has " + opened + " OPENED records");
            }
            HotspotAlert first = revs.firstEntry().getValue();
            byKey.computeIfAbsent(alertKey(first), k -> new ArrayList<>()).addAll(revs.values());
        }
        // At most one open episode per alert key at any time: a second OPENED of the same key
        // before the previous episode's RESOLVED is a duplicate alert.
        int overlapping = 0;
        for (Map.Entry<String, List<HotspotAlert>> e : byKey.entrySet()) {
            Map<String, long[]> spans = new TreeMap<>();
            for (HotspotAlert a : e.getValue()) {
                long[] s =
                        spans.computeIfAbsent(
                                a.getAlertId(), k -> new long[] {Long.MAX_VALUE, Long.MAX_VALUE});
                if (a.getState() == AlertState.OPENED) {
                    s[0] = a.getOpenedAt().toEpochMilli();
                }
                if (a.getState() == AlertState.RESOLVED) {
                    s[1] = a.getEventTime().toEpochMilli();
                }
            }
            List<long[]> sorted =
                    spans.values().stream().sorted((x, y) -> Long.compare(x[0], y[0])).toList();
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i)[0] < sorted.get(i - 1)[1]) {
                    overlapping++;
                    notes.add("a second episode of " + e.getKey() + " opened while one was open");
                }
            }
        }
        Map<String, Integer> newest = new TreeMap<>();
        episodes.forEach((id, revs) -> newest.put(id, revs.lastKey()));
        Map<String, Integer> stored = new TreeMap<>();
        for (JsonNode r : clickHouse.query("SELECT alert_id, revision FROM alerts FINAL")) {
            stored.put(r.get("alert_id").asText(), r.get("revision").asInt());
        }
        int storedWrong = 0;
        Set<String> ids = new TreeSet<>(newest.keySet());
        ids.addAll(stored.keySet());
        for (String id : ids) {
            if (!Objects.equals(newest.get(id), stored.get(id))) {
                storedWrong++;
                if (notes.size() < 12) {
                    notes.add(
                            "alerts table: "
                                    + id
                                    + " revision "
                                    + stored.get(id)
                                    + ", Kafka newest "
                                    + newest.get(id));
                }
            }
        }
        Set<String> weeklyMajors = new TreeSet<>();
        for (JsonNode r :
                clickHouse.query(
                        "SELECT DISTINCT category_major FROM case_category_weekly FINAL")) {
            weeklyMajors.add(r.get("category_major").asText());
        }
        Set<String> alertMajors = new TreeSet<>();
        episodes.values()
                .forEach(revs -> alertMajors.add(revs.get(revs.firstKey()).getCategoryMajor()));
        long surgeAlerts =
                episodes.values().stream()
                        .map(revs -> revs.get(revs.firstKey()))
                        .filter(a -> a.getCategoryMajor().equals(options.surgeCategory()))
                        .filter(a -> a.getCategoryCode() == null && a.getDistrict() == null)
                        .filter(
                                a ->
                                        Math.abs(
                                                        a.getOpenedAt().toEpochMilli()
                                                                - options.surgeStart())
                                                <= Duration.ofHours(3).toMillis())
                        .count();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("kafkaRecords", records.size());
        f.put("repeatedRecords", repeated);
        f.put("conflictingRecords", conflicting);
        f.put("episodes", episodes.size());
        f.put("episodesWithoutExactlyOneOpened", badOpened);
        f.put("revisionGaps", gaps);
        f.put("overlappingEpisodesPerKey", overlapping);
        f.put("clickhouseRowsWrong", storedWrong);
        f.put("surgeCategoryAlertsOpened", surgeAlerts);
        f.put("caseCategoryWeeklyMajors", weeklyMajors.size() + "/" + alertMajors.size());
        boolean pass =
                conflicting == 0
                        && badOpened == 0
                        && gaps == 0
                        && overlapping == 0
                        && storedWrong == 0
                        && surgeAlerts == 1
                        && weeklyMajors.equals(alertMajors);
        if (repeated > 0) {
            notes.add(
                    repeated
                            + " alert records re-sent after a restore, byte-identical (at-least-once"
                            + " to Kafka; the idempotency key makes them harmless)");
        }
        return new Section("alerts", pass, f, notes);
    }

    private static String alertKey(HotspotAlert a) {
        return a.getLevel()
                + "/"
                + a.getScope()
                + "/"
                + a.getCategoryMajor()
                + "/"
                + Objects.toString(a.getCategoryCode(), "")
                + "/"
                + Objects.toString(a.getDistrict(), "")
                + "/"
                + a.getLeadDriven();
    }

    private Section notifications(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        AvroCodec<HotspotAlert> codec = AvroCodec.forType(HotspotAlert.class);
        Set<String> expected = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            HotspotAlert a = codec.decode(r.value());
            expected.add(a.getAlertId() + ":" + a.getState() + ":" + a.getRevision());
        }
        Map<String, Integer> processed = new TreeMap<>();
        long requests = 0;
        long repeats = 0;
        long refused = 0;
        if (Files.exists(options.receiverLog())) {
            for (String line : Files.readAllLines(options.receiverLog(), StandardCharsets.UTF_8)) {
                String[] p = line.split("\t");
                if (p.length < 4) {
                    continue;
                }
                requests++;
                switch (p[3]) {
                    case "processed" -> processed.merge(p[1], 1, Integer::sum);
                    case "repeat" -> repeats++;
                    default -> refused++;
                }
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(processed.keySet());
        Set<String> unexpected = new TreeSet<>(processed.keySet());
        unexpected.removeAll(expected);
        long processedTwice = processed.values().stream().filter(n -> n > 1).count();
        long failures = readAll(options.failuresTopic()).size();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("alertRecords", expected.size());
        f.put("processedOnce", processed.size());
        f.put("processedTwice", processedTwice);
        f.put("missing", missing.size());
        f.put("unexpected", unexpected.size());
        f.put("requests", requests);
        f.put("refusedFirstAttempts", refused);
        f.put("repeatsDropped", repeats);
        f.put("givenUp", failures);
        List<String> notes = new ArrayList<>();
        missing.stream().limit(5).forEach(k -> notes.add("never processed: " + k));
        unexpected.stream().limit(5).forEach(k -> notes.add("not an alert record: " + k));
        boolean pass =
                !expected.isEmpty()
                        && missing.isEmpty()
                        && unexpected.isEmpty()
                        && processedTwice == 0
                        && failures == 0;
        return new Section("notifications", pass, f, notes);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        java.util.Properties p = new java.util.Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------

    /** The expected counts, straight from the JSON lines, each event once by its eventId. */
    static final class Oracle {
        final Map<String, Long> counts = new HashMap<>();
        final Map<String, Long> created5m = new HashMap<>();
        long events;

        static Oracle read(Path jsonl) throws Exception {
            ObjectMapper json = new ObjectMapper();
            Oracle o = new Oracle();
            Set<String> seen = new HashSet<>();
            try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode e = json.readTree(line);
                    if (!e.has("eventId")) {
                        continue; // a malformed record of the simulator's own
                    }
                    boolean ticket = e.get("kind").asText().equals("ticket");
                    if (!seen.add(e.get("kind").asText() + " " + e.get("eventId").asText())) {
                        continue; // a redelivery counts once
                    }
                    o.events++;
                    Instant t = Instant.ofEpochMilli(e.get("eventTime").asLong());
                    String type = e.get("type").asText();
                    List<String> measures = new ArrayList<>();
                    measures.add(type.toLowerCase());
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
                        if (type.equals("CREATED")) {
                            if (e.get("urgency").asText().equals("EMERGENCY")) {
                                measures.add("emergency");
                            }
                            if (e.get("expedited").asBoolean()) {
                                measures.add("expedited");
                            }
                            long five =
                                    t.toEpochMilli() - Math.floorMod(t.toEpochMilli(), 300_000L);
                            o.created5m.merge(
                                    text(e, "categoryMajor")
                                            + "|"
                                            + text(e, "district")
                                            + "|"
                                            + five,
                                    1L,
                                    Long::sum);
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
                    long five = ms - Math.floorMod(ms, 300_000L);
                    long hour =
                            t.atZone(ZONE)
                                    .withMinute(0)
                                    .withSecond(0)
                                    .withNano(0)
                                    .toInstant()
                                    .toEpochMilli();
                    LocalDate day = t.atZone(ZONE).toLocalDate();
                    long dayStart = day.atStartOfDay(ZONE).toInstant().toEpochMilli();
                    for (String m : measures) {
                        o.counts.merge(table + "5m " + five + " " + dims + " " + m, 1L, Long::sum);
                        o.counts.merge(table + "1h " + hour + " " + dims + " " + m, 1L, Long::sum);
                        o.counts.merge(
                                table + "1d " + dayStart + " " + dims + " " + m, 1L, Long::sum);
                    }
                }
            }
            return o;
        }

        private static String text(JsonNode e, String field) {
            JsonNode v = e.get(field);
            return v == null || v.isNull() ? "" : v.asText();
        }
    }
}
