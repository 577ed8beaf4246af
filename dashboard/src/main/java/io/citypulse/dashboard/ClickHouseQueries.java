package io.citypulse.dashboard;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Runs panels on ClickHouse through the JDBC driver, as the read-only user. One connection is
 * shared (a wall display asks a dozen small queries every few seconds) and opened again after a
 * failure. Values come back as JSON-friendly Java objects: numbers, booleans, strings, dates as
 * {@code yyyy-MM-dd} and times as {@code yyyy-MM-dd HH:mm:ss} in the city's zone.
 */
public final class ClickHouseQueries implements AutoCloseable {

    /** ClickHouse could not be reached at all (connection refused, unknown host, time-out). */
    public static final class UnreachableException extends Exception {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** ClickHouse answered with an error (e.g. a missing table, refused access). */
    public static final class QueryFailedException extends Exception {
        QueryFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A panel's rows and column names. */
    public record Result(List<String> columns, List<Map<String, Object>> rows) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final DashboardConfig config;
    private Connection connection;

    public ClickHouseQueries(DashboardConfig config) {
        this.config = config;
    }

    public synchronized Result run(Panels.Panel panel, Map<String, String> values)
            throws UnreachableException, QueryFailedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return execute(panel, values);
            } catch (SQLException | RuntimeException e) {
                closeQuietly();
                if (isUnreachable(e)) {
                    throw new UnreachableException("ClickHouse unreachable", e);
                }
                if (attempt == 0 && isStaleConnection(e)) {
                    continue; // a pooled HTTP connection the server closed: try once afresh
                }
                throw new QueryFailedException(describe(e), e);
            }
        }
    }

    private Result execute(Panels.Panel panel, Map<String, String> values) throws SQLException {
        if (connection == null) {
            Properties p = new Properties();
            p.setProperty("user", config.user());
            p.setProperty("password", config.password());
            p.setProperty("compress", "false");
            connection = DriverManager.getConnection(config.jdbcUrl(), p);
        }
        try (PreparedStatement s = connection.prepareStatement(panel.jdbcSql())) {
            List<String> params = panel.parameters();
            for (int i = 0; i < params.size(); i++) {
                s.setString(i + 1, values.get(params.get(i)));
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    columns.add(md.getColumnLabel(c));
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns.size(); c++) {
                        row.put(columns.get(c - 1), json(rs.getObject(c), config.zone()));
                    }
                    rows.add(row);
                }
                return new Result(columns, rows);
            }
        }
    }

    /** A JDBC value as a JSON-friendly value. */
    static Object json(Object v, ZoneId zone) {
        if (v == null || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : d;
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : f.doubleValue();
        }
        if (v instanceof BigInteger || v instanceof BigDecimal || v instanceof Number) {
            return v;
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDateTime t) {
            return t.format(TIME);
        }
        if (v instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(zone).format(TIME);
        }
        if (v instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(zone).format(TIME);
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().atZone(zone).format(TIME);
        }
        if (v instanceof Instant t) {
            return t.atZone(zone).format(TIME);
        }
        return v.toString();
    }

    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException
                    || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("connection refused")
                    || m.contains("failed to connect")
                    || m.contains("connect timed out")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isStaleConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no_http_response")
                    || m.contains("failed to respond")
                    || m.contains("connection reset")) {
                return true;
            }
        }
        return false;
    }

    /** The server's message ("Code: N. DB::Exception: ..."), without a stack or credentials. */
    static String describe(Throwable e) {
        String best = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("Code: ")) {
                best = m.substring(m.indexOf("Code: "));
                break;
            }
            if (best == null && m != null) {
                best = m;
            }
        }
        if (best == null) {
            best = e.getClass().getSimpleName();
        }
        best = best.replaceAll("(?i)password=[^&\\s]*", "password=***");
        return best.length() > 500 ? best.substring(0, 500) + "..." : best;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped after a failure anyway
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
