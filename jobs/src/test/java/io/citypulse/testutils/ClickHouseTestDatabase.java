package io.citypulse.testutils;

import io.citypulse.clickhouse.ClickHouseSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh ClickHouse database per test on the real server ({@code CLICKHOUSE_URL}, default the
 * local stack), with the repository's sql/ migrations applied, dropped again on close.
 */
public final class ClickHouseTestDatabase implements AutoCloseable {

    private final ClickHouseSettings settings;

    private ClickHouseTestDatabase(ClickHouseSettings settings) {
        this.settings = settings;
    }

    /**
     * A new database with the migrations applied and every table's TTL removed: the tests' events
     * have fixed dates (hand-worked expectations), and the sinks do not send rows a table's TTL has
     * expired, so a test of 5-minute rows dated 2026-11-02 would otherwise find none once the
     * calendar passes their 90 days.
     */
    public static ClickHouseTestDatabase create(String prefix) throws Exception {
        ClickHouseTestDatabase database = createKeepingTtl(prefix);
        database.removeTtls();
        return database;
    }

    /** A new database with the migrations applied as they are, TTLs included. */
    public static ClickHouseTestDatabase createKeepingTtl(String prefix) throws Exception {
        String url = System.getenv().getOrDefault("CLICKHOUSE_URL", ClickHouseSettings.DEFAULT_URL);
        String user = System.getenv().getOrDefault("CLICKHOUSE_USER", "default");
        String password = System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "");
        String db = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ClickHouseSettings admin = new ClickHouseSettings(url, "default", user, password);
        try (Connection c = admin.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        ClickHouseTestDatabase database = new ClickHouseTestDatabase(admin.withDatabase(db));
        database.migrate();
        return database;
    }

    public ClickHouseSettings settings() {
        return settings;
    }

    public String name() {
        return settings.database();
    }

    /** Applies every sql/*.sql file in order, statement by statement (as scripts/stack does). */
    private void migrate() throws IOException, SQLException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(RepoPaths.root().resolve("sql"))) {
            files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        try (Connection c = settings.connect();
                Statement s = c.createStatement()) {
            for (Path file : files) {
                for (String statement :
                        statements(Files.readString(file, StandardCharsets.UTF_8))) {
                    s.execute(statement);
                }
            }
        }
    }

    private void removeTtls() throws SQLException {
        try (Connection c = settings.connect();
                Statement s = c.createStatement()) {
            List<String> withTtl = new ArrayList<>();
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT name FROM system.tables WHERE database = currentDatabase()"
                                    + " AND engine_full LIKE '% TTL %'")) {
                while (rs.next()) {
                    withTtl.add(rs.getString(1));
                }
            }
            for (String table : withTtl) {
                s.execute("ALTER TABLE " + table + " REMOVE TTL");
            }
        }
    }

    /** Splits a migration file at semicolons that end a line; drops comment-only pieces. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String piece : sql.split(";\\s*(\\n|$)")) {
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

    public List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = settings.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public long queryLong(String sql) throws SQLException {
        try (Connection c = settings.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    /**
     * Runs a dashboard query file over plain HTTP, as a dashboard would: query parameters as {@code
     * param_NAME} URL parameters, rows as JSON lines.
     */
    public List<String> dashboard(Path sqlFile, Map<String, String> params) throws Exception {
        StringBuilder url =
                new StringBuilder(settings.url())
                        .append("/?database=")
                        .append(java.net.URLEncoder.encode(name(), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append("&param_")
                    .append(p.getKey())
                    .append('=')
                    .append(java.net.URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        String sql =
                Files.readString(sqlFile, StandardCharsets.UTF_8).strip() + "\nFORMAT JSONEachRow";
        java.net.http.HttpRequest.Builder request =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.toString()))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(sql));
        if (!settings.password().isEmpty() || !settings.user().equals("default")) {
            String auth = settings.user() + ":" + settings.password();
            request.header(
                    "Authorization",
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        java.net.http.HttpResponse<String> response =
                java.net.http.HttpClient.newHttpClient()
                        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new SQLException(
                    sqlFile.getFileName()
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return response.body().lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = settings.withDatabase("default").connect();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name());
        }
    }
}
