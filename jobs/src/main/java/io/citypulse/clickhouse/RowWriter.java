package io.citypulse.clickhouse;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How one record type becomes a row of one ClickHouse table: the table, its columns in insert
 * order, and the binding of a record to a prepared statement with those columns' placeholders.
 * Times are bound as epoch milliseconds, which ClickHouse reads into {@code DateTime64(3)} columns
 * exactly, whatever the client's or server's time zone.
 */
public interface RowWriter<T> extends Serializable {

    String table();

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
