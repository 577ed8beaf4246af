package io.citypulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.alerts.AlertJob;
import io.citypulse.hotspot.HotspotJob;
import io.citypulse.sla.SlaJob;
import io.citypulse.tools.simulate.Simulate;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The big screen over demo data, in a real browser: a simulated city (3 days, a WATER surge on the
 * last) goes into real Kafka, the hotspot, SLA and alert jobs run bounded into a fresh database on
 * the real ClickHouse engine, the read-only user is created from sql/users/dashboard_user.sql, and
 * headless Chromium (Debian's chromium + chromium-driver) loads the page served by the dashboard
 * server. Every panel must be drawn from data ({@code data-state="ok"} and an ECharts canvas), a
 * day without data must show the empty state, and a server whose ClickHouse is unreachable must say
 * so on every panel. The screenshot goes to target/dashboard.png.
 *
 * <p>One number is checked against an independent oracle: the simulator's own event file gives the
 * tickets created on the shown day, which the "today vs yesterday" panel must total.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserITCase {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate DAY = LocalDate.of(2026, 10, 7);
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Set<String> DAY_PANELS =
            Set.of(
                    "district_hourly_day",
                    "today_vs_yesterday",
                    "hotspots_as_of",
                    "sla_breaches_by_agency_day",
                    "first_dispatch_success_7d",
                    "leads_by_platform_today",
                    "lead_funnel_day",
                    "category_trend_top_7d");

    @TempDir static Path tmp;

    String adminUrl;
    String database;
    String user;
    String password;
    DashboardServer server;
    ChromeDriver browser;
    Path events;

    @BeforeAll
    @Timeout(900) // about two minutes on an idle machine; generous for loaded CI hosts
    void loadDemoData() throws Exception {
        assertThat(Path.of(CHROMIUM))
                .as(
                        "Chromium is missing: scripts/test installs it (scripts/lib/browser.sh, ensure_browser)")
                .isExecutable();
        assertThat(Path.of(CHROMEDRIVER))
                .as(
                        "chromedriver is missing: scripts/test installs it (scripts/lib/browser.sh, ensure_browser)")
                .isExecutable();
        adminUrl = System.getenv().getOrDefault("CLICKHOUSE_URL", "http://127.0.0.1:18123");
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP", "127.0.0.1:19092");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        database = "it_dashboard_" + suffix;
        user = "it_dashboard_" + suffix;
        password = UUID.randomUUID().toString();
        migrate();

        String tickets = "it-dash-tickets-" + suffix;
        String leads = "it-dash-leads-" + suffix;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(tickets, 2, (short) 1),
                                    new NewTopic(leads, 1, (short) 1),
                                    new NewTopic("it-dash-dead-" + suffix, 1, (short) 1),
                                    new NewTopic("it-dash-alerts-" + suffix, 1, (short) 1)))
                    .all()
                    .get();
        }
        Path incidents = tmp.resolve("incidents.yaml");
        Files.writeString(
                incidents,
                String.join(
                        "\n",
                        "incidents:",
                        "  - id: water-main",
                        "    category: WATER",
                        "    start: 2026-10-07T11:00",
                        "    duration: 3h",
                        "    multiplier: 8",
                        ""));
        events = tmp.resolve("events.jsonl");
        int rc =
                Simulate.run(
                        new String[] {
                            "--start",
                            "2026-10-06",
                            "--hours",
                            "38",
                            "--seed",
                            "9",
                            "--scale",
                            "0.3",
                            "--incidents",
                            incidents.toString(),
                            "--jsonl",
                            events.toString(),
                            "--bootstrap",
                            bootstrap,
                            "--tickets-topic",
                            tickets,
                            "--leads-topic",
                            leads
                        },
                        Map.of(),
                        System.out,
                        System.err);
        assertThat(rc).isZero();

        List<String> common =
                List.of(
                        "--bounded",
                        "--bootstrap",
                        bootstrap,
                        "--tickets-topic",
                        tickets,
                        "--dead-letter-topic",
                        "it-dash-dead-" + suffix,
                        "--clickhouse-url",
                        adminUrl,
                        "--clickhouse-database",
                        database,
                        "-Dstate.backend.type=rocksdb",
                        "-Dparallelism.default=1",
                        "-Drestart-strategy.type=none");
        HotspotJob.main(
                args(
                        common,
                        "--leads-topic",
                        leads,
                        "--group-id",
                        "it-dash-hot-" + suffix,
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("cp1").toUri()));
        SlaJob.main(
                args(
                        common,
                        "--group-id",
                        "it-dash-sla-" + suffix,
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("cp2").toUri()));
        AlertJob.main(
                args(
                        common,
                        "--leads-topic",
                        leads,
                        "--alerts-topic",
                        "it-dash-alerts-" + suffix,
                        "--warmup",
                        "1d",
                        "--group-id",
                        "it-dash-alerts-" + suffix,
                        "-Dexecution.checkpointing.dir=" + tmp.resolve("cp3").toUri()));

        DashboardConfig config =
                DashboardConfig.parse(new String[] {"--port", "0"}, Map.of())
                        .withClickHouse(adminUrl, database, user, password);
        server = new DashboardServer(config, Panels.load(null), Clock.fixed(Instant.now(), ZONE));
        server.start();
        browser = chromium();
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database);
            admin("DROP USER IF EXISTS " + user);
        }
    }

    @Test
    @Timeout(120)
    void everyPanelIsDrawnFromDemoDataAndAScreenshotIsSaved() throws Exception {
        browser.get(server.url() + "?day=" + DAY);
        Map<String, String> states = settledStates();
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isGreaterThan(50_000);
        assertThat(states)
                .hasSize(11)
                .allSatisfy((panel, state) -> assertThat(state).isEqualTo("ok"));
        for (WebElement panel : browser.findElements(By.cssSelector(".panel"))) {
            assertThat(panel.findElements(By.cssSelector(".chart canvas")))
                    .as("canvas of %s", panel.getAttribute("data-panel"))
                    .isNotEmpty();
        }
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("12345 城市运行大屏");

        // the oracle: tickets the simulator created on DAY, as the panel totals them
        long created = createdOn(DAY);
        JsonNode answer = api("today_vs_yesterday?day=" + DAY);
        long total = 0;
        for (JsonNode row : answer.get("rows")) {
            total += row.get("today").asLong();
        }
        assertThat(total).isEqualTo(created).isPositive();
        assertThat(browser.findElement(By.id("kpi-today")).getText().replace(",", ""))
                .isEqualTo(Long.toString(created));

        browser.get(server.url() + "?day=" + DAY + "&lang=en");
        assertThat(settledStates().values()).containsOnly("ok");
        assertThat(browser.findElement(By.id("title")).getText())
                .isEqualTo("CityPulse 12345 city operations");
        Path en = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
                en,
                Path.of("target", "dashboard-en.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Timeout(60)
    void aDayWithoutDataShowsTheEmptyStateNotABlankChart() {
        browser.get(server.url() + "?day=2026-09-01");
        Map<String, String> states = settledStates();
        for (String panel : DAY_PANELS) {
            assertThat(states.get(panel)).as(panel).isEqualTo("empty");
            WebElement section =
                    browser.findElement(By.cssSelector(".panel[data-panel='" + panel + "']"));
            assertThat(section.findElement(By.cssSelector(".overlay")).getText()).isEqualTo("暂无数据");
        }
    }

    @Test
    @Timeout(60)
    void clickHouseUnreachableIsShownOnEveryPanel() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DashboardConfig config =
                DashboardConfig.parse(new String[] {"--port", "0"}, Map.of())
                        .withClickHouse("http://127.0.0.1:" + closedPort, database, user, password);
        try (DashboardServer down =
                new DashboardServer(config, Panels.load(null), Clock.system(ZONE))) {
            down.start();
            browser.get(down.url() + "?day=" + DAY + "&lang=en");
            Map<String, String> states = settledStates();
            assertThat(states).hasSize(11);
            for (WebElement section : browser.findElements(By.cssSelector(".panel"))) {
                assertThat(section.getAttribute("data-state")).isEqualTo("error");
                assertThat(section.getAttribute("data-error")).isEqualTo("clickhouse_unreachable");
                assertThat(section.findElement(By.cssSelector(".overlay")).getText())
                        .isEqualTo("ClickHouse unreachable");
            }
        }
    }

    @Test
    void theDashboardUserCannotWrite() {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("compress", "false");
        String jdbc = "jdbc:clickhouse:" + adminUrl + "/" + database;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> {
                            try (Connection c = DriverManager.getConnection(jdbc, p);
                                    Statement s = c.createStatement()) {
                                s.execute("TRUNCATE TABLE ticket_counts_1d");
                            }
                        })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("READONLY");
    }

    /** Waits until the page has refreshed once (no panel loading) and returns panel to state. */
    private Map<String, String> settledStates() {
        new WebDriverWait(browser, Duration.ofSeconds(45))
                .pollingEvery(Duration.ofMillis(200))
                .until(
                        d ->
                                d.findElements(By.cssSelector(".panel[data-state='loading']"))
                                                .isEmpty()
                                        && d.findElement(By.tagName("body"))
                                                        .getAttribute("data-refreshed")
                                                != null);
        Map<String, String> states = new java.util.TreeMap<>();
        for (WebElement section : browser.findElements(By.cssSelector(".panel"))) {
            states.put(section.getAttribute("data-panel"), section.getAttribute("data-state"));
        }
        return states;
    }

    private long createdOn(LocalDate day) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        try (Stream<String> lines = Files.lines(events)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode e = json.readTree(line);
                if (e.path("kind").asText().equals("ticket")
                        && e.path("type").asText().equals("CREATED")
                        && Instant.ofEpochMilli(e.path("eventTime").asLong())
                                .atZone(ZONE)
                                .toLocalDate()
                                .equals(day)) {
                    n++;
                }
            }
        }
        return n;
    }

    private JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        server.url()
                                                                + "api/panels/"
                                                                + pathAndQuery))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private static ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1920,1080",
                "--user-data-dir=" + freshProfile());
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new java.io.File(CHROMEDRIVER))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static String freshProfile() {
        try {
            return Files.createTempDirectory("chromium-profile-").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The schema (sql/*.sql) and the read-only user (sql/users/), renamed for this test. */
    private void migrate() throws Exception {
        admin("CREATE DATABASE " + database);
        Path sql = Path.of(System.getProperty("citypulse.repo.root", "..")).resolve("sql");
        List<Path> files;
        try (Stream<Path> listing = Files.list(sql)) {
            files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path f : files) {
            for (String statement : statements(Files.readString(f))) {
                adminIn(database, statement);
            }
        }
        String digest =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(password.getBytes(StandardCharsets.UTF_8)));
        String users =
                Files.readString(sql.resolve("users/dashboard_user.sql"))
                        .replace("{{sha256:CITYPULSE_DASHBOARD_PASSWORD}}", digest)
                        .replace("{{database}}", database)
                        .replace("USER OR REPLACE dashboard", "USER OR REPLACE " + user)
                        .replace("TO dashboard", "TO " + user);
        for (String statement : statements(users)) {
            admin(statement);
        }
    }

    private static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        for (String piece : text.split(";\\s*(\\n|$)")) {
            String body =
                    piece.lines()
                            .filter(l -> !l.strip().startsWith("--"))
                            .reduce("", (a, b) -> a + b + "\n")
                            .strip();
            if (!body.isEmpty()) {
                out.add(body);
            }
        }
        return out;
    }

    private void admin(String sql) throws SQLException {
        adminIn("default", sql);
    }

    private void adminIn(String db, String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", System.getenv().getOrDefault("CLICKHOUSE_USER", "default"));
        p.setProperty("password", System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", ""));
        p.setProperty("compress", "false");
        try (Connection c =
                        DriverManager.getConnection("jdbc:clickhouse:" + adminUrl + "/" + db, p);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
