package io.citypulse.clickhouse;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * How one record type becomes a row of one ClickHouse table: the table, its columns in insert
 * order, and the binding of a record to a prepared statement with those columns' placeholders.
 * Times are bound as {@link Instant}s ({@link #setTime}) and days as {@code LocalDate}s: the driver
 * writes both exactly, whatever the client's or server's time zone, in the binary rows the sink
 * sends (which refuse a number for a {@code DateTime64} column) and in SQL text alike.
 */
public interface RowWriter<T> extends Serializable {

    String table();

    /**
     * Every column of the table, in the table's order: the driver's binary insert names no columns
     * (RowEncodingITCase checks every writer of the jobs against its table).
     */
    List<String> columns();

    void bind(PreparedStatement statement, T row) throws SQLException;

    /**
     * The time column a TTL of the table may count from, or null. When the table's TTL is one plain
     * delete rule on this column ({@link TableTtl}), the sink does not send rows the table has
     * expired already.
     */
    default String ttlColumn() {
        return null;
    }

    /** The row's value of {@link #ttlColumn()}, in epoch milliseconds. */
    default long ttlTime(T row) {
        throw new UnsupportedOperationException(table() + " names no TTL column");
    }

    /** Binds a time in epoch milliseconds to a {@code DateTime64(3, ...)} column. */
    static void setTime(PreparedStatement statement, int index, long epochMillis)
            throws SQLException {
        statement.setObject(index, Instant.ofEpochMilli(epochMillis));
    }

    /** {@code INSERT INTO table (c1, ...) VALUES (?, ...)}. */
    default String insertSql() {
        List<String> cols = columns();
        return "INSERT INTO "
                + table()
                + " ("
                + String.join(", ", cols)
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(cols.size(), "?"))
                + ")";
    }
}
