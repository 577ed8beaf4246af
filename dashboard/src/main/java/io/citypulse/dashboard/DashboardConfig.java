package io.citypulse.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the dashboard server, from command-line options and the environment (options win).
 * The ClickHouse password comes only from the environment or a file, never from the command line,
 * and {@link #toString()} never shows it.
 *
 * @param host address to listen on
 * @param port port to listen on (0: any free port)
 * @param clickHouseUrl ClickHouse HTTP endpoint, e.g. {@code http://127.0.0.1:18123}
 * @param database the database the jobs write to
 * @param user the read-only ClickHouse user
 * @param password its password (may be empty)
 * @param zone the city's time zone: "today" and the clock of the page
 * @param sqlDir folder of panel SQL files overriding the built-in ones (null: built in)
 * @param refreshSeconds how often the page refreshes itself
 */
public record DashboardConfig(
        String host,
        int port,
        String clickHouseUrl,
        String database,
        String user,
        String password,
        ZoneId zone,
        Path sqlDir,
        int refreshSeconds) {

    public static final String USAGE =
            """
            usage: scripts/dashboard [options]

            Serves the CityPulse big-screen page and its JSON API of panels
            (http://HOST:PORT/, /api/panels, /api/panels/NAME?day=...).

            options (environment variable in brackets):
              --host HOST               listen address (DASHBOARD_HOST, default 127.0.0.1)
              --port PORT               listen port (DASHBOARD_PORT, default 18080; 0 = any)
              --clickhouse-url URL      ClickHouse HTTP endpoint (CLICKHOUSE_URL,
                                        default http://127.0.0.1:18123)
              --clickhouse-database DB  database the jobs write to (CLICKHOUSE_DATABASE, default)
              --clickhouse-user USER    read-only user (DASHBOARD_CLICKHOUSE_USER, default dashboard)
              --clickhouse-password-file FILE
                                        file with its password (DASHBOARD_CLICKHOUSE_PASSWORD_FILE;
                                        else DASHBOARD_CLICKHOUSE_PASSWORD; else empty)
              --zone ZONE               the city's time zone (DASHBOARD_ZONE, Asia/Shanghai)
              --sql-dir DIR             panel SQL files to use instead of the built-in copy of
                                        sql/dashboard (DASHBOARD_SQL_DIR)
              --refresh SECONDS         page refresh interval (DASHBOARD_REFRESH_SECONDS, 10)
              -h, --help                this text
            """;

    /** Thrown for a malformed command line or setting; the message is meant for the operator. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static DashboardConfig parse(String[] args, Map<String, String> env)
            throws ConfigException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--host",
                        "--port",
                        "--clickhouse-url",
                        "--clickhouse-database",
                        "--clickhouse-user",
                        "--clickhouse-password-file",
                        "--zone",
                        "--sql-dir",
                        "--refresh" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new ConfigException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    opts.put(arg.substring(2), value);
                }
                case "--clickhouse-password" ->
                        throw new ConfigException(
                                "a password is never taken on the command line: use"
                                        + " --clickhouse-password-file or"
                                        + " DASHBOARD_CLICKHOUSE_PASSWORD");
                default -> throw new ConfigException("unknown argument '" + arg + "'");
            }
        }
        String host = pick(opts, "host", env, "DASHBOARD_HOST", "127.0.0.1");
        int port = integer(pick(opts, "port", env, "DASHBOARD_PORT", "18080"), "port", 0, 65535);
        String url = pick(opts, "clickhouse-url", env, "CLICKHOUSE_URL", "http://127.0.0.1:18123");
        if (!url.matches("https?://[^\\s/?#@]+(/[^\\s?#]*)?")) {
            throw new ConfigException(
                    "the ClickHouse URL must be http(s)://HOST:PORT[/path], without credentials"
                            + " or query");
        }
        String database = pick(opts, "clickhouse-database", env, "CLICKHOUSE_DATABASE", "default");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new ConfigException("invalid ClickHouse database name '" + database + "'");
        }
        String user = pick(opts, "clickhouse-user", env, "DASHBOARD_CLICKHOUSE_USER", "dashboard");
        String passwordFile =
                pick(
                        opts,
                        "clickhouse-password-file",
                        env,
                        "DASHBOARD_CLICKHOUSE_PASSWORD_FILE",
                        null);
        String password = env.getOrDefault("DASHBOARD_CLICKHOUSE_PASSWORD", "");
        if (passwordFile != null) {
            try {
                password =
                        Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8)
                                .replaceFirst("\\r?\\n$", "");
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot read the ClickHouse password file "
                                + passwordFile
                                + ": "
                                + e.getClass().getSimpleName());
            }
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(pick(opts, "zone", env, "DASHBOARD_ZONE", "Asia/Shanghai"));
        } catch (DateTimeException e) {
            throw new ConfigException("unknown time zone: " + e.getMessage());
        }
        String sqlDir = pick(opts, "sql-dir", env, "DASHBOARD_SQL_DIR", null);
        if (sqlDir != null && !Files.isDirectory(Path.of(sqlDir))) {
            throw new ConfigException("--sql-dir " + sqlDir + " is not a directory");
        }
        int refresh =
                integer(
                        pick(opts, "refresh", env, "DASHBOARD_REFRESH_SECONDS", "10"),
                        "refresh",
                        2,
                        3600);
        return new DashboardConfig(
                host,
                port,
                url,
                database,
                user,
                password,
                zone,
                sqlDir == null ? null : Path.of(sqlDir),
                refresh);
    }

    private static String pick(
            Map<String, String> opts,
            String option,
            Map<String, String> env,
            String variable,
            String fallback) {
        String v = opts.get(option);
        if (v == null || v.isEmpty()) {
            v = env.get(variable);
        }
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static int integer(String value, String name, int min, int max) throws ConfigException {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    name + " must be a whole number from " + min + " to " + max + ", not " + value);
        }
    }

    /** The JDBC URL of the database (HTTP protocol). */
    public String jdbcUrl() {
        String base =
                clickHouseUrl.endsWith("/")
                        ? clickHouseUrl.substring(0, clickHouseUrl.length() - 1)
                        : clickHouseUrl;
        return "jdbc:clickhouse:" + base + "/" + database;
    }

    public DashboardConfig withClickHouse(String url, String db, String u, String pw) {
        return new DashboardConfig(host, port, url, db, u, pw, zone, sqlDir, refreshSeconds);
    }

    public DashboardConfig withPort(int otherPort) {
        return new DashboardConfig(
                host,
                otherPort,
                clickHouseUrl,
                database,
                user,
                password,
                zone,
                sqlDir,
                refreshSeconds);
    }

    @Override
    public String toString() {
        return "DashboardConfig{listen="
                + host
                + ":"
                + port
                + ", clickhouse="
                + clickHouseUrl
                + ", database="
                + database
                + ", user="
                + user
                + ", password="
                + (password.isEmpty() ? "(none)" : "(set)")
                + ", zone="
                + zone
                + ", sqlDir="
                + (sqlDir == null ? "(built in)" : sqlDir)
                + ", refresh="
                + refreshSeconds
                + "s}";
    }
}
