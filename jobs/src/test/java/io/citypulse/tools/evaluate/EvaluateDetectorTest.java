package io.citypulse.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.citypulse.tools.simulate.Simulate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command: its inputs (truth, event files, both alert sources), exit codes and outputs. */
class EvaluateDetectorTest {

    private static final long T0 = ScoringTest.T0;
    private static final long MIN = ScoringTest.MIN;
    private static final long HOUR = ScoringTest.HOUR;
    private static final long DAY = ScoringTest.DAY;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir Path dir;

    private int run(Map<String, String> env, String... args) {
        return EvaluateDetector.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A truth file with one incident: NOISE-CONSTRUCTION in Futian, 2 h on day 8. */
    private Path truthFile(boolean withIncidentsFrom) throws IOException {
        String from = withIncidentsFrom ? ", \"incidentsFrom\": " + (T0 + 7 * DAY) : "";
        return Files.writeString(
                dir.resolve("truth.json"),
                """
                {"seed": 7, "zone": "Asia/Shanghai", "scale": 1.0, "start": %d, "end": %d%s,
                 "incidents": [ {"id": "I1", "ordinal": 1, "categoryMajor": "NOISE",
                   "categoryCode": "NOISE-CONSTRUCTION", "district": "Futian",
                   "start": %d, "end": %d, "multiplier": 5.0, "leadDriven": false,
                   "leadStart": null, "leadMultiplier": null, "baselineTickets": 1.0,
                   "expectedExtraTickets": 4.0, "actualExtraTickets": 4,
                   "actualExtraTicketsFromLeads": 0, "expectedExtraLeads": 0,
                   "actualExtraLeads": 0 } ],
                 "faults": {"disorderMs": 0, "duplicates": 1, "late": 0, "lateByMs": 0, "malformed": 1}}
                """
                        .formatted(
                                T0,
                                T0 + 14 * DAY,
                                from,
                                T0 + 8 * DAY + 10 * HOUR,
                                T0 + 8 * DAY + 12 * HOUR));
    }

    private static String ticketLine(String id, String type, long time, String code, String d) {
        return "{\"kind\":\"ticket\",\"eventId\":\""
                + id
                + "#1\",\"ticketId\":\""
                + id
                + "\",\"type\":\""
                + type
                + "\",\"eventTime\":"
                + time
                + ",\"channel\":\"HOTLINE\",\"categoryCode\":\""
                + code
                + "\",\"categoryMajor\":\""
                + code.substring(0, code.indexOf('-'))
                + "\",\"district\":\""
                + d
                + "\",\"street\":null,\"agency\":null,\"urgency\":\"GENERAL\",\"expedited\":false,"
                + "\"dueTime\":null,\"sourceLeadId\":null,\"location\":null}";
    }

    /**
     * Events for the incident: in [start, end) 2 ordinary NOISE-CONSTRUCTION tickets in Futian (one
     * delivered twice), 1 in Nanshan, 1 ordinary NOISE-NEIGHBOURHOOD in Futian; 4 extra. Series:
     * NOISE (4 + 4) / 4 = 2, NOISE-CONSTRUCTION (3 + 4) / 3 = 2.33, NOISE@Futian (3 + 4) / 3 =
     * 2.33. Non-CREATED lines, a lead line and a malformed record are skipped.
     */
    private Path eventsFile() throws IOException {
        long s = T0 + 8 * DAY + 10 * HOUR;
        List<String> lines = new ArrayList<>();
        lines.add(
                ticketLine(
                        "T-2026111002-00001", "CREATED", s + MIN, "NOISE-CONSTRUCTION", "Futian"));
        lines.add(
                ticketLine("T-2026111002-00001", "CREATED", s + MIN, "NOISE-CONSTRUCTION", "Futian")
                                .replace("}", "")
                        + ",\"fault\":\"duplicate\",\"deliverySeq\":2}");
        lines.add(
                ticketLine(
                        "T-2026111002-00001",
                        "DISPATCHED",
                        s + 9 * MIN,
                        "NOISE-CONSTRUCTION",
                        "Futian"));
        lines.add(
                ticketLine(
                        "T-2026111002-00002",
                        "CREATED",
                        s + 2 * MIN,
                        "NOISE-CONSTRUCTION",
                        "Futian"));
        lines.add(
                ticketLine(
                        "T-2026111002-00003",
                        "CREATED",
                        s + 3 * MIN,
                        "NOISE-CONSTRUCTION",
                        "Nanshan"));
        lines.add(
                ticketLine(
                        "T-2026111002-00004",
                        "CREATED",
                        s + 4 * MIN,
                        "NOISE-NEIGHBOURHOOD",
                        "Futian"));
        lines.add(
                "{\"kind\":\"lead\",\"fault\":\"malformed\",\"key\":\"L-1\",\"timestamp\":1,"
                        + "\"malformation\":\"empty\",\"valueBase64\":\"\",\"deliverySeq\":7}");
        lines.add(
                "{\"kind\":\"lead\",\"eventId\":\"L-2026111002-0001#1\",\"leadId\":\"L-2026111002-0001\","
                        + "\"type\":\"CAPTURED\",\"eventTime\":"
                        + (s + 5 * MIN)
                        + "}");
        for (int k = 1; k <= 4; k++) {
            lines.add(
                    ticketLine(
                            "T-2026111002-I1-0000" + k,
                            "CREATED",
                            s + k * 10 * MIN,
                            "NOISE-CONSTRUCTION",
                            "Futian"));
        }
        lines.add(
                ticketLine(
                        "T-2026111002-00009", "CREATED", s - MIN, "NOISE-CONSTRUCTION", "Futian"));
        return Files.write(dir.resolve("events.jsonl"), lines);
    }

    @Test
    void helpAndUsageErrors() throws IOException {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).contains("Usage: EvaluateDetector").contains("--alerts-jsonl");
        assertThat(run(Map.of(), "--events", "x.jsonl")).isEqualTo(2);
        assertThat(err()).contains("error: --truth FILE is required");
        assertThat(run(Map.of(), "--truth", "t.json")).isEqualTo(2);
        assertThat(err()).contains("at least one --events FILE");
        assertThat(run(Map.of(), "--truth", "t.json", "--events", "e", "--frobnicate", "1"))
                .isEqualTo(2);
        assertThat(err()).contains("unknown option --frobnicate");
        assertThat(run(Map.of(), "--truth", "t", "--events", "e", "--warmup", "soon")).isEqualTo(2);
        assertThat(err()).contains("--warmup: cannot read 'soon'");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                "t",
                                "--events",
                                "e",
                                "--alerts-jsonl",
                                "a",
                                "--clickhouse-database",
                                "x"))
                .isEqualTo(2);
        assertThat(err()).contains("not both");
        assertThat(EvaluateDetector.duration("7d").toHours()).isEqualTo(168);
        assertThat(EvaluateDetector.duration("1h30m").toMinutes()).isEqualTo(90);
        assertThat(EvaluateDetector.duration("P2D").toDays()).isEqualTo(2);
    }

    @Test
    void badInputFilesExitNonZeroWithAClearMessage() throws IOException {
        Path events = eventsFile();
        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"), "");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                dir.resolve("missing.json").toString(),
                                "--events",
                                events.toString(),
                                "--alerts-jsonl",
                                alerts.toString()))
                .isEqualTo(1);
        assertThat(err()).contains("no such file").contains("missing.json");
        Path notTruth = Files.writeString(dir.resolve("bad.json"), "{\"start\": 1}");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                notTruth.toString(),
                                "--events",
                                events.toString(),
                                "--alerts-jsonl",
                                alerts.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("bad.json").contains("\"end\" is missing");
        Path truth = truthFile(true);
        Path notEvents = Files.writeString(dir.resolve("e.txt"), "hello\n");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                truth.toString(),
                                "--events",
                                notEvents.toString(),
                                "--alerts-jsonl",
                                alerts.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("e.txt:1: not a simulator JSON-lines file");
        Path badAlerts =
                Files.writeString(dir.resolve("bad-alerts.jsonl"), "{\"scope\":\"ITEM\"}\n");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                truth.toString(),
                                "--events",
                                events.toString(),
                                "--alerts-jsonl",
                                badAlerts.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("bad-alerts.jsonl:1: no alert_id");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                truth.toString(),
                                "--events",
                                events.toString(),
                                "--warmup",
                                "14d",
                                "--alerts-jsonl",
                                alerts.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("the warm-up covers the whole simulated window");
    }

    @Test
    void scoresAJsonLinesExportAndWritesTheFigures() throws IOException {
        Path truth = truthFile(true);
        Path events = eventsFile();
        long s = T0 + 8 * DAY + 10 * HOUR;
        // a1: two revisions of one episode (counted once), opened_at as ClickHouse prints a
        // DateTime64 in Shanghai time (day 8 = 2026-11-10, 10:12 = s + 12 min); a2: another
        // district (false, week 1); a3: camelCase (Kafka record as JSON), in the warm-up.
        Path alerts =
                Files.write(
                        dir.resolve("alerts.jsonl"),
                        List.of(
                                "{\"alert_id\":\"a1\",\"revision\":0,\"scope\":\"ITEM\",\"category_major\":\"NOISE\","
                                        + "\"category_code\":\"NOISE-CONSTRUCTION\",\"district\":\"\","
                                        + "\"lead_driven\":false,\"opened_at\":\"2026-11-10 10:12:00.000\"}",
                                "{\"alert_id\":\"a1\",\"revision\":3,\"scope\":\"ITEM\",\"category_major\":\"NOISE\","
                                        + "\"category_code\":\"NOISE-CONSTRUCTION\",\"district\":\"\","
                                        + "\"lead_driven\":false,\"opened_at\":\"2026-11-10 10:12:00.000\"}",
                                "{\"alert_id\":\"a2\",\"scope\":\"DISTRICT\",\"category_major\":\"NOISE\","
                                        + "\"category_code\":\"\",\"district\":\"Nanshan\","
                                        + "\"lead_driven\":0,\"opened_at\":"
                                        + (s + 5 * MIN)
                                        + "}",
                                "{\"alertId\":\"a3\",\"scope\":\"CATEGORY\",\"categoryMajor\":\"HOUSING\","
                                        + "\"categoryCode\":null,\"district\":null,\"leadDriven\":true,"
                                        + "\"openedAt\":"
                                        + (T0 + DAY)
                                        + "}"));
        Path json = dir.resolve("out/report.json");
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                truth.toString(),
                                "--events",
                                events.toString(),
                                "--alerts-jsonl",
                                alerts.toString(),
                                "--json",
                                json.toString()))
                .as(err())
                .isZero();
        assertThat(out())
                .contains("scoring period from 2026-11-09 00:00 (1 week)")
                .contains("recall (eligible)      1/1 = 1.000")
                .contains("delay median           12.0 min (raw 12.0 min)")
                .contains("precision              1/2 = 0.500")
                .contains("(1 in the warm-up and 0 after the end not scored)")
                .contains("false: a2 DISTRICT NOISE@Nanshan opened 2026-11-10 10:05")
                .contains("Missed eligible incidents: 0")
                .contains("Result: PASS");
        JsonNode figures = new ObjectMapper().readTree(json.toFile());
        assertThat(figures.get("summary").get("pass").asBoolean()).isTrue();
        JsonNode incident = figures.get("incidents").get(0);
        assertThat(incident.get("series").toString())
                .contains("{\"series\":\"NOISE\",\"usual\":4,\"extra\":4,\"multiplier\":2.0}")
                .contains("\"series\":\"NOISE-CONSTRUCTION\",\"usual\":3,\"extra\":4")
                .contains("\"series\":\"NOISE@Futian\",\"usual\":3,\"extra\":4");
        assertThat(incident.get("delayMs").asLong()).isEqualTo(12 * MIN);
        assertThat(incident.get("firstAlert").get("alertId").asText()).isEqualTo("a1");

        // The same with an explicit warm-up of 0: a3 is now scored (a false HOUSING alert).
        out.reset();
        assertThat(
                        run(
                                Map.of(),
                                "--truth",
                                truth.toString(),
                                "--events",
                                events.toString(),
                                "--alerts-jsonl",
                                alerts.toString(),
                                "--warmup",
                                "0s"))
                .isZero();
        assertThat(out())
                .contains("(2 weeks)")
                .contains("precision              1/3 = 0.333")
                .contains("HOUSING           1    0      1");
    }

    @Test
    void readsTheAlertsTableOverHttpAsClickHouseAnswersIt() throws Exception {
        AtomicReference<String> query = new AtomicReference<>();
        AtomicReference<String> uri = new AtomicReference<>();
        AtomicReference<String> auth = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    query.set(
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    uri.set(exchange.getRequestURI().toString());
                    auth.set(exchange.getRequestHeaders().getFirst("Authorization"));
                    byte[] body;
                    int status;
                    if (exchange.getRequestURI().getQuery().contains("database=missing")) {
                        status = 404;
                        body =
                                "Code: 81. DB::Exception: Database missing does not exist"
                                        .getBytes();
                        exchange.getResponseHeaders().add("X-ClickHouse-Exception-Code", "81");
                    } else {
                        status = 200;
                        body =
                                ("{\"alert_id\":\"a1\",\"scope\":\"ITEM\",\"category_major\":\"NOISE\","
                                                + "\"category_code\":\"NOISE-CONSTRUCTION\",\"district\":\"\","
                                                + "\"lead_driven\":true,\"opened_at_ms\":\"1793635200000\","
                                                + "\"revision\":2}\n"
                                                + "{\"alert_id\":\"a2\",\"scope\":\"DISTRICT\",\"category_major\":\"WATER\","
                                                + "\"category_code\":\"\",\"district\":\"Baoan\","
                                                + "\"lead_driven\":false,\"opened_at_ms\":1793635500000,"
                                                + "\"revision\":0}\n")
                                        .getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.sendResponseHeaders(status, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        int port = server.getAddress().getPort();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            List<AlertRecord> alerts =
                    new ClickHouseAlertSource(url, "eval_7", "", "", ScoringTest.ZONE).alerts();
            assertThat(alerts)
                    .containsExactly(
                            new AlertRecord(
                                    "a1",
                                    "ITEM",
                                    "NOISE",
                                    "NOISE-CONSTRUCTION",
                                    "",
                                    true,
                                    1793635200000L),
                            new AlertRecord(
                                    "a2", "DISTRICT", "WATER", "", "Baoan", false, 1793635500000L));
            assertThat(query.get()).contains("FROM alerts FINAL").endsWith("FORMAT JSONEachRow");
            assertThat(uri.get()).contains("database=eval_7");
            assertThat(auth.get()).isNull();
            new ClickHouseAlertSource(url + "/", "eval_7", "reader", "secret", ScoringTest.ZONE)
                    .alerts();
            assertThat(auth.get()).isEqualTo("Basic cmVhZGVyOnNlY3JldA==");
            assertThatThrownBy(
                            () ->
                                    new ClickHouseAlertSource(
                                                    url, "missing", "", "", ScoringTest.ZONE)
                                            .alerts())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 404 (code 81)")
                    .hasMessageContaining("Database missing does not exist");
        } finally {
            server.stop(0);
        }
        // Nothing listens there any more: a clear message, exit status 1.
        Path truth = truthFile(true);
        Path events = eventsFile();
        assertThat(
                        run(
                                Map.of("CLICKHOUSE_URL", "http://127.0.0.1:" + port),
                                "--truth",
                                truth.toString(),
                                "--events",
                                events.toString()))
                .isEqualTo(1);
        assertThat(err()).contains("does not answer");
    }

    /**
     * On a real simulated run, the measured extra tickets agree with the truth file, and a detector
     * that raises one CATEGORY alert 5 minutes into every incident scores recall 1 with no false
     * alert.
     */
    @Test
    void aSimulatedRunMeasuredIndependentlyAgreesWithItsTruth() throws IOException {
        Path truth = dir.resolve("sim/truth.json");
        Path events = dir.resolve("sim/events.jsonl");
        int status =
                Simulate.run(
                        new String[] {
                            "--no-kafka",
                            "--scale",
                            "0.2",
                            "--days",
                            "4",
                            "--seed",
                            "11",
                            "--random-incidents",
                            "8",
                            "--incidents-after",
                            "1d",
                            "--truth",
                            truth.toString(),
                            "--jsonl",
                            events.toString()
                        },
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err()).isZero();
        Truth t = Truth.read(truth);
        assertThat(t.incidentsFrom()).isEqualTo(t.start() + DAY);
        JsonNode raw = new ObjectMapper().readTree(truth.toFile());
        List<AlertRecord> perfect = new ArrayList<>();
        for (TruthIncident i : t.incidents()) {
            perfect.add(
                    new AlertRecord(
                            "p-" + i.id(),
                            "CATEGORY",
                            i.categoryMajor(),
                            "",
                            "",
                            false,
                            i.start() + 5 * MIN));
        }
        Report report =
                EvaluateDetector.evaluate(
                        t,
                        List.of(events),
                        () -> perfect,
                        null,
                        new PrintStream(new ByteArrayOutputStream()));
        for (int k = 0; k < t.incidents().size(); k++) {
            Report.IncidentResult r = report.incidents().get(k);
            JsonNode truthIncident = raw.get("incidents").get(k);
            long extraInMajor = r.series().get(0).extra();
            // Extra tickets created inside [start, end): all of them unless leads converted some
            // outside the window (conversions come ~1 h after a post, posts start early).
            if (r.incident().leadDriven()) {
                assertThat(extraInMajor)
                        .isLessThanOrEqualTo(truthIncident.get("actualExtraTickets").asLong());
            } else {
                assertThat(extraInMajor)
                        .as(r.incident().id())
                        .isEqualTo(truthIncident.get("actualExtraTickets").asLong());
            }
            // Every series holds all the extra tickets of an incident restricted to it (an
            // incident's posts may name no district, so not always its converted tickets).
            if (!r.incident().leadDriven()) {
                assertThat(r.series()).allMatch(s -> s.extra() == extraInMajor);
            }
            assertThat(r.detected()).isTrue();
            assertThat(r.delayMs()).isEqualTo(5 * MIN);
        }
        assertThat(report.totalFalse()).isZero();
        assertThat(report.recallAll()).isEqualTo(1.0);
        assertThat(report.precision()).isEqualTo(1.0);
    }
}
