package io.citypulse.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The big-screen server: the page ({@code /}), its script, style and Apache ECharts (from the
 * webjar), and the JSON API of named panels ({@code /api/panels/NAME}). Every answer of the API is
 * JSON: rows with 200, a refused parameter with 400, an unknown panel with 404, ClickHouse
 * unreachable with 503, a failed query with 502, each with {@code error} and {@code message}.
 */
public final class DashboardServer implements AutoCloseable {

    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    static final String WEB = "/io/citypulse/dashboard/web/";
    private static final Map<String, String> STATIC =
            Map.of(
                    "/static/dashboard.js", "application/javascript; charset=utf-8",
                    "/static/dashboard.css", "text/css; charset=utf-8");

    private final DashboardConfig config;
    private final Panels panels;
    private final ClickHouseQueries queries;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;

    public DashboardServer(DashboardConfig config, Panels panels, Clock clock) throws IOException {
        this.config = config;
        this.panels = panels;
        this.clock = clock.withZone(config.zone());
        this.queries = new ClickHouseQueries(config);
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + config.host() + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        queries.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(ex, 405, error("method_not_allowed", null, "only GET and HEAD"));
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/") || path.equals("/index.html")) {
                page(ex);
            } else if (STATIC.containsKey(path)) {
                resource(ex, WEB + path.substring("/static/".length()), STATIC.get(path));
            } else if (path.equals("/vendor/echarts.min.js")) {
                resource(ex, ECHARTS, "application/javascript; charset=utf-8");
            } else if (path.equals("/api/panels")) {
                panelList(ex);
            } else if (path.equals("/api/meta")) {
                meta(ex);
            } else if (path.startsWith("/api/panels/")) {
                panel(ex, path.substring("/api/panels/".length()));
            } else {
                sendJson(ex, 404, error("not_found", null, "no such page or API"));
            }
        } catch (RuntimeException e) {
            sendJson(ex, 500, error("internal", null, "internal error"));
        }
    }

    private void page(HttpExchange ex) throws IOException {
        try {
            RequestParameters.parse(query(ex), now());
        } catch (BadRequestException e) {
            sendJson(ex, e.status(), error("bad_parameter", e.parameter(), e.getMessage()));
            return;
        }
        resource(ex, WEB + "index.html", "text/html; charset=utf-8");
    }

    private void panelList(HttpExchange ex) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Panels.Panel p : panels.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("parameters", p.parameterNames());
            m.put("description", p.description());
            list.add(m);
        }
        sendJson(ex, 200, Map.of("panels", list));
    }

    private void meta(HttpExchange ex) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        ZonedDateTime now = now();
        m.put("zone", config.zone().getId());
        m.put("today", now.toLocalDate().toString());
        m.put("now", now.toLocalDateTime().withNano(0).toString());
        m.put("refreshSeconds", config.refreshSeconds());
        m.put("categories", Labels.categories());
        m.put("districts", Labels.districts());
        sendJson(ex, 200, m);
    }

    private void panel(HttpExchange ex, String name) throws IOException {
        Panels.Panel panel = name.matches("[a-z0-9_]{1,64}") ? panels.get(name) : null;
        if (panel == null) {
            sendJson(
                    ex,
                    404,
                    error(
                            "unknown_panel",
                            null,
                            "unknown panel '"
                                    + BadRequestException.shown(name)
                                    + "'; GET /api/panels lists them"));
            return;
        }
        RequestParameters params;
        try {
            params = RequestParameters.parse(query(ex), now());
            for (String needed : panel.parameterNames()) {
                if (!params.values().containsKey(needed)) {
                    throw BadRequestException.badParameter(
                            needed, "panel " + name + " needs the parameter '" + needed + "'");
                }
            }
        } catch (BadRequestException e) {
            sendJson(ex, e.status(), error("bad_parameter", e.parameter(), e.getMessage()));
            return;
        }
        long start = System.nanoTime();
        try {
            ClickHouseQueries.Result result = queries.run(panel, params.values());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("panel", name);
            body.put("day", params.day().toString());
            body.put("parameters", usedValues(panel, params));
            body.put("columns", result.columns());
            body.put("rows", result.rows());
            body.put("rowCount", result.rows().size());
            body.put("queryMillis", (System.nanoTime() - start) / 1_000_000);
            sendJson(ex, 200, body);
        } catch (ClickHouseQueries.UnreachableException e) {
            sendJson(
                    ex,
                    503,
                    error(
                            "clickhouse_unreachable",
                            null,
                            "ClickHouse unreachable at " + config.clickHouseUrl()));
        } catch (ClickHouseQueries.QueryFailedException e) {
            System.err.println("[dashboard] panel " + name + " failed: " + e.getMessage());
            sendJson(ex, 502, error("query_failed", null, e.getMessage()));
        }
    }

    private static Map<String, String> usedValues(Panels.Panel panel, RequestParameters params) {
        Map<String, String> used = new LinkedHashMap<>();
        for (String p : panel.parameterNames()) {
            used.put(p, params.values().get(p));
        }
        return used;
    }

    private ZonedDateTime now() {
        return ZonedDateTime.now(clock);
    }

    /** The query string as name to values; a malformed escape is a 400 like any bad value. */
    static Map<String, List<String>> query(HttpExchange ex) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                k = URLDecoder.decode(k, StandardCharsets.UTF_8);
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                k = "(malformed escape)";
            }
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static Map<String, Object> error(String code, String parameter, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        if (parameter != null) {
            m.put("parameter", parameter);
        }
        m.put("message", message);
        return m;
    }

    private void resource(HttpExchange ex, String name, String contentType) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
            if (in == null) {
                sendJson(ex, 404, error("not_found", null, "missing resource"));
                return;
            }
            byte[] body = in.readAllBytes();
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'");
            send(ex, 200, body);
        }
    }

    private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Starts the server until the process is stopped (SIGTERM / Ctrl-C). */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exception {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                out.print(DashboardConfig.USAGE);
                return 0;
            }
        }
        DashboardConfig config;
        try {
            config = DashboardConfig.parse(args, env);
        } catch (DashboardConfig.ConfigException e) {
            err.println("error: " + e.getMessage());
            err.println("Run with --help for usage.");
            return 2;
        }
        Panels panels;
        try {
            panels = Panels.load(config.sqlDir());
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: cannot load the panels: " + e.getMessage());
            return 1;
        }
        DashboardServer server;
        try {
            server = new DashboardServer(config, panels, Clock.systemDefaultZone());
        } catch (IOException e) {
            err.println(
                    "error: cannot listen on "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        server.start();
        err.println("[dashboard] " + config);
        out.println("dashboard listening on " + server.url());
        out.flush();
        stopped.await();
        return 0;
    }
}
