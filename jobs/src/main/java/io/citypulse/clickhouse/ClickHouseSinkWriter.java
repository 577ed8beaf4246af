package io.citypulse.clickhouse;

import io.citypulse.common.BenchProbe;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer behind {@link ClickHouseSink}; one per sink subtask. */
final class ClickHouseSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkWriter.class);

    private final ClickHouseSettings settings;
    private final RowWriter<T> rows;
    private final SinkOptions options;
    private final ProcessingTimeService time;
    private final String insertSql;
    private final List<T> buffer = new ArrayList<>();
    private final Counter rowsWritten;
    private final Counter batchesWritten;
    private final Counter retries;

    private Connection connection;

    ClickHouseSinkWriter(
            ClickHouseSettings settings,
            RowWriter<T> rows,
            SinkOptions options,
            ProcessingTimeService time,
            MetricGroup metrics) {
        this.settings = settings;
        this.rows = rows;
        this.options = options;
        this.time = time;
        this.insertSql = rows.insertSql();
        MetricGroup group = metrics.addGroup("clickhouse", rows.table());
        this.rowsWritten = group.counter("rowsWritten");
        this.batchesWritten = group.counter("batchesWritten");
        this.retries = group.counter("retries");
        if (!options.flushInterval().isZero()) {
            scheduleFlush();
        }
    }

    @Override
    public void write(T element, Context context) throws IOException {
        buffer.add(element);
        if (buffer.size() >= options.batchRows()) {
            writeBuffer();
        }
    }

    /** Called before every checkpoint barrier and at end of input: nothing may stay buffered. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        writeBuffer();
    }

    @Override
    public void close() throws Exception {
        closeConnection();
    }

    private void scheduleFlush() {
        long next = time.getCurrentProcessingTime() + options.flushInterval().toMillis();
        // Timer callbacks run in the task's mailbox thread, so they never race write()/flush().
        time.registerTimer(
                next,
                ts -> {
                    writeBuffer();
                    scheduleFlush();
                });
    }

    private void writeBuffer() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        long backoff = options.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                insert(buffer);
                BenchProbe.committed(buffer.size());
                rowsWritten.inc(buffer.size());
                batchesWritten.inc();
                buffer.clear();
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                if (attempt >= options.maxAttempts()) {
                    throw new IOException(
                            "writing "
                                    + buffer.size()
                                    + " rows to "
                                    + rows.table()
                                    + " failed after "
                                    + attempt
                                    + " attempts: "
                                    + e.getMessage(),
                            e);
                }
                retries.inc();
                LOG.warn(
                        "writing {} rows to {} at {} failed (attempt {}/{}), retrying in {} ms: {}",
                        buffer.size(),
                        rows.table(),
                        settings.url(),
                        attempt,
                        options.maxAttempts(),
                        backoff,
                        e.getMessage());
                pause(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void insert(List<T> batch) throws SQLException {
        if (connection == null) {
            connection = settings.connect();
        }
        try (PreparedStatement ps = connection.prepareStatement(insertSql)) {
            for (T row : batch) {
                rows.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while backing off", e);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing ClickHouse connection failed", e);
            }
            connection = null;
        }
    }
}
