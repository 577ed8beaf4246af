package io.citypulse.clickhousehttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Adapter restarts on the same data directory, and user/password authentication, via JDBC. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AdapterLifecycleITCase {

    @TempDir Path dataDir;

    private AdapterProcess adapter;

    @AfterEach
    void stopAdapter() throws Exception {
        if (adapter != null) {
            adapter.close();
            adapter = null;
        }
    }

    private static Connection connect(AdapterProcess a, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(a.jdbcUrl("default", null), props);
    }

    @Test
    void dataWrittenBeforeARestartIsThereAfterIt() throws Exception {
        adapter = AdapterProcess.start(dataDir);
        try (Connection c = connect(adapter, "default", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE city");
            st.execute(
                    "CREATE TABLE city.counts (district String, bucket DateTime, n UInt64)"
                            + " ENGINE = ReplacingMergeTree ORDER BY (district, bucket)");
            st.execute(
                    "CREATE TABLE city.events (id UInt32, payload String) ENGINE = MergeTree"
                            + " ORDER BY id");
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO city.events (id, payload) VALUES (?, ?)")) {
                for (int i = 0; i < 2000; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "event-" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            st.execute(
                    "INSERT INTO city.counts VALUES ('Futian', '2026-01-01 00:00:00', 1),"
                            + " ('Futian', '2026-01-01 00:00:00', 5), ('Luohu', '2026-01-01"
                            + " 00:00:00', 2)");
        }
        assertThat(adapter.stop())
                .as("exit code on SIGTERM; stderr: %s", adapter.stderr())
                .isZero();

        adapter = AdapterProcess.start(dataDir);
        try (Connection c = connect(adapter, "default", "");
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery("SELECT count(), sum(id), max(payload) FROM city.events")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2000);
                assertThat(rs.getLong(2)).isEqualTo(1999L * 2000 / 2);
                assertThat(rs.getString(3)).isEqualTo("event-999");
            }
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT district, n FROM city.counts FINAL ORDER BY district")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Futian");
                assertThat(rs.getLong(2)).isEqualTo(5);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Luohu");
                assertThat(rs.getLong(2)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void aConfiguredUserMustAuthenticate() throws Exception {
        Path passwordFile = dataDir.resolve("password.txt");
        Files.writeString(passwordFile, "s3cret-Pa55\n", StandardCharsets.UTF_8);
        adapter =
                AdapterProcess.start(
                        dataDir.resolve("data"),
                        "--user",
                        "citypulse",
                        "--password-file",
                        passwordFile.toString());
        try (Connection c = connect(adapter, "citypulse", "s3cret-Pa55");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        assertThatThrownBy(() -> query(adapter, "citypulse", "wrong"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(516));
        assertThatThrownBy(() -> query(adapter, "default", ""))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(516));
        assertThat(adapter.stderr()).doesNotContain("s3cret-Pa55");
    }

    private static void query(AdapterProcess a, String user, String password) throws SQLException {
        try (Connection c = connect(a, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
        }
    }
}
