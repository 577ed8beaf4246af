package io.citypulse.clickhouse;

import io.citypulse.common.Args;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where ClickHouse is and who we are there. The URL is the HTTP endpoint ({@code CLICKHOUSE_URL},
 * e.g. {@code http://127.0.0.1:18123}); credentials come only from the environment ({@code
 * CLICKHOUSE_USER}, {@code CLICKHOUSE_PASSWORD}) or a password file, never from a command line, and
 * {@link #toString()} never shows the password.
 */
public record ClickHouseSettings(String url, String database, String user, String password)
        implements Serializable {

    public static final String DEFAULT_URL = "http://127.0.0.1:18123";

    public static ClickHouseSettings from(Args args) {
        return from(args, System.getenv());
    }

    /** As {@link #from(Args)}, with the environment {@code CLICKHOUSE_PASSWORD} is read from. */
    public static ClickHouseSettings from(Args args, Map<String, String> env) {
        String url = args.string("clickhouse-url", "CLICKHOUSE_URL", DEFAULT_URL);
        String database = args.string("clickhouse-database", "CLICKHOUSE_DATABASE", "default");
        String user = args.string("clickhouse-user", "CLICKHOUSE_USER", "default");
        String passwordFile =
                args.string("clickhouse-password-file", "CLICKHOUSE_PASSWORD_FILE", null);
        String password = env.getOrDefault("CLICKHOUSE_PASSWORD", "");
        if (passwordFile != null) {
            try {
                password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read ClickHouse password file " + passwordFile, e);
            }
        }
        return new ClickHouseSettings(url, database, user, password);
    }

    public ClickHouseSettings withDatabase(String otherDatabase) {
        return new ClickHouseSettings(url, otherDatabase, user, password);
    }

    /** JDBC URL of the database, for the ClickHouse JDBC driver (HTTP protocol). */
    public String jdbcUrl() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return "jdbc:clickhouse:" + base + "/" + database;
    }

    /** Driver properties: credentials, and no response compression (see README, ClickHouse). */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("compress", "false");
        return p;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), jdbcProperties());
    }

    /**
     * A connection whose prepared {@code INSERT INTO t (c1, ...) VALUES (?, ...)} statements send
     * their rows in ClickHouse's binary row format (RowBinary) instead of SQL text: the driver's
     * {@code beta.row_binary_for_simple_insert}.
     */
    public Connection connectForRowBinaryInserts() throws SQLException {
        Properties p = jdbcProperties();
        p.setProperty("beta.row_binary_for_simple_insert", "true");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    @Override
    public String toString() {
        return "ClickHouseSettings{url="
                + url
                + ", database="
                + database
                + ", user="
                + user
                + ", password="
                + (password.isEmpty() ? "(none)" : "(set)")
                + "}";
    }
}
