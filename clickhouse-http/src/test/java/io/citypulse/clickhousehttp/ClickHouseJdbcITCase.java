package io.citypulse.clickhousehttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the chDB-backed adapter through the ClickHouse JDBC driver (jdbc-v2), with the driver's
 * default settings (compressed responses), as project code does against a real server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClickHouseJdbcITCase {

    private static final String DB = "citypulse_it";
    private static final long BASE_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String[] DISTRICTS = {
        "Futian",
        "Luohu",
        "Yantian",
        "Nanshan",
        "Baoan",
        "Longgang",
        "Longhua",
        "Pingshan",
        "Guangming",
        "Dapeng"
    };

    private static final DateTimeFormatter SHANGHAI =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                    .withZone(ZoneId.of("Asia/Shanghai"));

    @TempDir static Path dataDir;

    private static AdapterProcess adapter;

    @BeforeAll
    static void startAdapter() throws Exception {
        adapter = AdapterProcess.start(dataDir);
        try (Connection c = connect("default", null);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + DB);
        }
    }

    @AfterAll
    static void stopAdapter() throws Exception {
        if (adapter != null) {
            int exit = adapter.stop();
            if (!adapter.stderr().isEmpty()) {
                System.out.println("adapter stderr:\n" + adapter.stderr());
            }
            assertThat(exit)
                    .as("adapter exit code after SIGTERM; stderr: %s", adapter.stderr())
                    .isZero();
        }
    }

    static Connection connect(String database, String urlQuery) throws SQLException {
        return connect(database, urlQuery, new Properties());
    }

    static Connection connect(String database, String urlQuery, Properties extra)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "default");
        props.setProperty("password", "");
        props.putAll(extra);
        return DriverManager.getConnection(adapter.jdbcUrl(database, urlQuery), props);
    }

    private static void insertTickets(
            Connection c, String table, int from, int to, String category, int version)
            throws SQLException {
        String sql =
                "INSERT INTO "
                        + table
                        + " (ticket_id, district, category, created, version) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = from; i < to; i++) {
                ps.setLong(1, i);
                ps.setString(2, DISTRICTS[i % DISTRICTS.length]);
                ps.setString(3, category);
                // local time of the column's zone: parsed by the server, independent of the JVM
                // zone
                ps.setString(4, SHANGHAI.format(Instant.ofEpochMilli(BASE_MILLIS + i * 1000L)));
                ps.setInt(5, version);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            // The driver reports 1 per row only when the server's X-ClickHouse-Summary says
            // that exactly the batch size was written.
            assertThat(counts).hasSize(to - from).containsOnly(1);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for %s", sql).isTrue();
            long v = rs.getLong(1);
            assertThat(rs.next()).isFalse();
            return v;
        }
    }

    @Test
    void ddlBatchInsertSelectAndFinalDeduplication() throws Exception {
        String table = DB + ".tickets";
        try (Connection c = connect(DB, null);
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE "
                            + table
                            + " (ticket_id UInt64, district LowCardinality(String), category String,"
                            + " created DateTime64(3, 'Asia/Shanghai'), version UInt32)"
                            + " ENGINE = ReplacingMergeTree(version) ORDER BY ticket_id");

            insertTickets(c, table, 0, 3000, "noise", 1);
            // a newer version of 500 tickets: ReplacingMergeTree keeps the last version
            insertTickets(c, table, 1000, 1500, "closed", 2);

            assertThat(queryLong(c, "SELECT count() FROM " + table + " FINAL")).isEqualTo(3000);
            assertThat(queryLong(c, "SELECT countIf(category = 'closed') FROM " + table + " FINAL"))
                    .isEqualTo(500);
            assertThat(queryLong(c, "SELECT sum(ticket_id) FROM " + table + " FINAL"))
                    .isEqualTo(2999L * 3000 / 2);
            // without FINAL the replaced rows are still there until a merge happens
            assertThat(queryLong(c, "SELECT count() FROM " + table)).isBetween(3000L, 3500L);
            st.execute("OPTIMIZE TABLE " + table + " FINAL");
            assertThat(queryLong(c, "SELECT count() FROM " + table)).isEqualTo(3000);

            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT ticket_id, district, category, toUnixTimestamp64Milli(created),"
                                    + " version, created FROM "
                                    + table
                                    + " FINAL WHERE ticket_id IN (7, 1234) ORDER BY ticket_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(7);
                assertThat(rs.getString(2)).isEqualTo(DISTRICTS[7]);
                assertThat(rs.getString(3)).isEqualTo("noise");
                assertThat(rs.getLong(4)).isEqualTo(BASE_MILLIS + 7_000);
                assertThat(rs.getInt(5)).isEqualTo(1);
                ZonedDateTime created = rs.getObject(6, ZonedDateTime.class);
                assertThat(created.toInstant().toEpochMilli()).isEqualTo(BASE_MILLIS + 7_000);
                assertThat(created.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1234);
                assertThat(rs.getString(2)).isEqualTo(DISTRICTS[1234 % DISTRICTS.length]);
                assertThat(rs.getString(3)).isEqualTo("closed");
                assertThat(rs.getLong(4)).isEqualTo(BASE_MILLIS + 1_234_000);
                assertThat(rs.getInt(5)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void urlSettingChangesTheResultOfThatConnectionOnly() throws Exception {
        String numbers = "SELECT number FROM system.numbers LIMIT 10";
        try (Connection limited = connect("default", "clickhouse_setting_limit=3");
                Connection plain = connect("default", null)) {
            assertThat(rows(limited, numbers)).containsExactly(0L, 1L, 2L);
            // the setting is applied per request: it does not leak to other connections
            assertThat(rows(plain, numbers)).hasSize(10);
            assertThat(rows(limited, numbers)).hasSize(3);
        }
        try (Connection strict = connect("default", "clickhouse_setting_max_result_rows=5");
                Connection plain = connect("default", null)) {
            assertThatThrownBy(() -> rows(strict, numbers))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(396))
                    .hasMessageContaining("TOO_MANY_ROWS_OR_BYTES");
            assertThat(rows(plain, numbers)).hasSize(10);
        }
    }

    private static List<Long> rows(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    @Test
    void unknownTableIsASqlExceptionWithTheClickHouseCode() throws Exception {
        try (Connection c = connect(DB, null);
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM " + DB + ".no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(60))
                    .hasMessageContaining("UNKNOWN_TABLE");
            assertThatThrownBy(() -> st.execute("SELEC 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(62));
            // the connection keeps working after errors
            assertThat(queryLong(c, "SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void concurrentRequestsFromSeveralThreadsAllGetTheirOwnAnswers() throws Exception {
        int threads = 8;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int id = t;
                Callable<Integer> task =
                        () -> {
                            // threads differ in database and per-request setting (odd ones
                            // limit their results, even ones set nothing); answers would mix if
                            // requests interleaved on the one session or settings leaked
                            String database = id % 4 < 2 ? "default" : DB;
                            int limit = id % 2 == 1 ? id + 1 : 100;
                            String url = id % 2 == 1 ? "clickhouse_setting_limit=" + limit : null;
                            int checked = 0;
                            try (Connection c = connect(database, url);
                                    PreparedStatement ps =
                                            c.prepareStatement(
                                                    "SELECT currentDatabase(), number * ? FROM"
                                                            + " system.numbers LIMIT 100")) {
                                for (int r = 0; r < rounds; r++) {
                                    long factor = id * 1000L + r;
                                    ps.setLong(1, factor);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        long n = 0;
                                        while (rs.next()) {
                                            assertThat(rs.getString(1)).isEqualTo(database);
                                            assertThat(rs.getLong(2)).isEqualTo(n * factor);
                                            n++;
                                        }
                                        assertThat(n).isEqualTo(limit);
                                    }
                                    checked++;
                                }
                            }
                            return checked;
                        };
                futures.add(pool.submit(task));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(4, TimeUnit.MINUTES);
            }
            assertThat(total).isEqualTo(threads * rounds);
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> transportModes() {
        return Stream.of(
                Arguments.of("driver defaults (LZ4 framed responses)", new Properties()),
                Arguments.of("compress=false", props("compress", "false")),
                Arguments.of("compressed requests", props("decompress", "true")),
                Arguments.of("HTTP compression", props("client.use_http_compression", "true")));
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transportModes")
    void everyTransportModeOfTheDriverRoundTripsData(String mode, Properties transport)
            throws Exception {
        String table = DB + ".transport_" + Math.abs(mode.hashCode());
        try (Connection c = connect(DB, null, transport);
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + table
                            + " (ticket_id UInt64, district LowCardinality(String), category String,"
                            + " created DateTime64(3, 'Asia/Shanghai'), version UInt32)"
                            + " ENGINE = MergeTree ORDER BY ticket_id");
            st.execute("TRUNCATE TABLE " + table);
            // enough rows for several compressed blocks of the response
            insertTickets(c, table, 0, 20_000, "transport " + mode, 1);
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT ticket_id, district, category FROM "
                                    + table
                                    + " ORDER BY ticket_id")) {
                long n = 0;
                while (rs.next()) {
                    assertThat(rs.getLong(1)).isEqualTo(n);
                    assertThat(rs.getString(2)).isEqualTo(DISTRICTS[(int) (n % DISTRICTS.length)]);
                    assertThat(rs.getString(3)).isEqualTo("transport " + mode);
                    n++;
                }
                assertThat(n).isEqualTo(20_000);
            }
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM " + table + "_missing"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(60));
        }
    }
}
