package io.citypulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side without ClickHouse: the server points at a closed port, so every refused request is
 * refused before any query (400/404/405), and a valid one reports ClickHouse unreachable (503).
 */
class DashboardServerTest {

    static final String SECRET = "pw-never-shown-7f3a";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    DashboardServer server;

    @BeforeEach
    void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        DashboardConfig config =
                DashboardConfig.parse(
                        new String[] {
                            "--port", "0", "--clickhouse-url", "http://127.0.0.1:" + closed
                        },
                        Map.of("DASHBOARD_CLICKHOUSE_PASSWORD", SECRET));
        server =
                new DashboardServer(
                        config,
                        Panels.load(null),
                        Clock.fixed(Instant.parse("2026-10-08T06:00:00Z"), ZoneId.of("UTC")));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerMalformedParametersWith400AndAClearJsonMessage() throws Exception {
        String[][] cases = {
            {"api/panels/volume_by_district_today?day=2026-02-30", "day"},
            {"api/panels/volume_by_district_today?day=yesterday", "day"},
            {"api/panels/hotspots_as_of?district=Futian%27%3B%20DROP", "district"},
            {"api/panels/category_trend_7d?category=noise", "category"},
            {"api/panels/category_trend_7d", "category"},
            {"api/panels/alerts_open?lang=de", "lang"},
            {"api/panels/alerts_open?query=SELECT%201", "query"},
            {"?lang=xx", "lang"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValue("application/json; charset=utf-8");
            JsonNode body = json.readTree(r.body());
            assertThat(body.get("error").asText()).isEqualTo("bad_parameter");
            assertThat(body.get("parameter").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(body.get("message").asText()).contains(c[1]);
        }
    }

    @Test
    void shouldAnswerUnknownPanelsWith404AndOtherMethodsWith405() throws Exception {
        HttpResponse<String> r = get("api/panels/no_such_panel");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("unknown_panel");
        assertThat(get("api/panels/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        HttpResponse<String> post =
                http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "api/panels/alerts_open"))
                                .POST(HttpRequest.BodyPublishers.ofString("DROP TABLE alerts"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldReportClickHouseUnreachableWith503WithoutTheCredentials() throws Exception {
        HttpResponse<String> r = get("api/panels/volume_by_district_today?day=2026-10-08");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("clickhouse_unreachable");
        assertThat(body.get("message").asText()).startsWith("ClickHouse unreachable");
        assertThat(r.body()).doesNotContain(SECRET);
    }

    @Test
    void shouldServeThePageEChartsAndThePanelList() throws Exception {
        HttpResponse<String> page = get("?lang=en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/vendor/echarts.min.js").contains("data-panel=");
        HttpResponse<String> echarts = get("vendor/echarts.min.js");
        assertThat(echarts.statusCode()).isEqualTo(200);
        assertThat(echarts.body()).contains("echarts").hasSizeGreaterThan(500_000);
        JsonNode panels = json.readTree(get("api/panels").body()).get("panels");
        assertThat(panels).hasSize(Panels.NAMES.size());
        JsonNode meta = json.readTree(get("api/meta").body());
        assertThat(meta.get("today").asText()).isEqualTo("2026-10-08");
        assertThat(meta.get("categories")).hasSize(18);
    }

    @Test
    void shouldNeverShowThePasswordInItsConfigurationOrRefuseItOnTheCommandLine() throws Exception {
        DashboardConfig c =
                DashboardConfig.parse(
                        new String[0], Map.of("DASHBOARD_CLICKHOUSE_PASSWORD", SECRET));
        assertThat(c.password()).isEqualTo(SECRET);
        assertThat(c.toString()).doesNotContain(SECRET).contains("password=(set)");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                DashboardServer.run(
                        new String[] {"--clickhouse-password", SECRET},
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString())
                .contains("never taken on the command line")
                .doesNotContain(SECRET);
    }
}
