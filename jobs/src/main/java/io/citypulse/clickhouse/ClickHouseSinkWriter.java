package io.citypulse.clickhouse;

import io.citypulse.common.BenchProbe;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
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
    private List<T> buffer = new ArrayList<>();

    /**
     * Inserts run on this thread, not the task's: the operator chain in front of the sink (counting
     * windows, ranking) goes on while a batch is on its way. One batch at most is in flight; a
     * second full batch waits for it (backpressure), and {@link #flush} waits for it, so a
     * checkpoint still completes only once every row before its barrier is stored.
     */
    private final ExecutorService io;

    private Future<?> inFlight;
    private final Counter rowsWritten;
    private final Counter batchesWritten;
    private final Counter retries;
    private final Counter rowsExpired;

    /** How often the table's TTL is read again while a connection stays open. */
    static final Duration TTL_REFRESH = Duration.ofMinutes(10);

    /**
     * The table's TTL ({@link TableTtl}), read on the writer thread with every new connection and
     * every {@link #TTL_REFRESH}; null before the first read, empty when rows never expire.
     */
    private Optional<Duration> ttl;

    private long ttlReadAtNanos;

    /** Longest pause between two attempts. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Duration unavailableTimeout;
    private Connection connection;

    /** The insert, prepared on {@link #connection}; null until the first batch on it. */
    private PreparedStatement statement;

    ClickHouseSinkWriter(
            ClickHouseSettings settings,
            RowWriter<T> rows,
            SinkOptions options,
            ProcessingTimeService time,
            MetricGroup metrics) {
        this(settings, rows, options, ClickHouseSink.DEFAULT_UNAVAILABLE_TIMEOUT, time, metrics);
    }

    ClickHouseSinkWriter(
            ClickHouseSettings settings,
            RowWriter<T> rows,
            SinkOptions options,
            Duration unavailableTimeout,
            ProcessingTimeService time,
            MetricGroup metrics) {
        this.unavailableTimeout = unavailableTimeout;
        this.settings = settings;
        this.rows = rows;
        this.options = options;
        this.time = time;
        this.insertSql = rows.insertSql();
        MetricGroup group = metrics.addGroup("clickhouse", rows.table());
        this.rowsWritten = group.counter("rowsWritten", new ThreadSafeSimpleCounter());
        this.batchesWritten = group.counter("batchesWritten", new ThreadSafeSimpleCounter());
        this.retries = group.counter("retries", new ThreadSafeSimpleCounter());
        this.rowsExpired = group.counter("rowsExpired", new ThreadSafeSimpleCounter());
        String threadName = "clickhouse-writer-" + rows.table();
        this.io =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
        if (!options.flushInterval().isZero()) {
            scheduleFlush();
        }
    }

    @Override
    public void write(T element, Context context) throws IOException {
        buffer.add(element);
        if (buffer.size() >= options.batchRows()) {
            handOff();
        }
    }

    /**
     * Called before every checkpoint barrier and at end of input: nothing may stay buffered or in
     * flight, and a failed insert fails the checkpoint (and the job) here.
     */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        handOff();
        awaitInFlight();
    }

    @Override
    public void close() throws Exception {
        io.shutdownNow();
        if (!io.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("the ClickHouse writer of {} did not stop within 30 s", rows.table());
        }
        closeConnection();
    }

    private void scheduleFlush() {
        long next = time.getCurrentProcessingTime() + options.flushInterval().toMillis();
        // Timer callbacks run in the task's mailbox thread, so they never race write()/flush().
        time.registerTimer(
                next,
                ts -> {
                    // Never block the task for a timed flush: when a batch is still in flight,
                    // the rows go with the next one. A finished batch's failure surfaces here.
                    if (inFlight == null || inFlight.isDone()) {
                        handOff();
                    }
                    scheduleFlush();
                });
    }

    /**
     * Starts writing the buffered rows on the writer thread, after the batch before them (if any)
     * is stored; rethrows that batch's failure.
     */
    private void handOff() throws IOException {
        if (buffer.isEmpty()) {
            awaitIfDone();
            return;
        }
        awaitInFlight();
        List<T> batch = buffer;
        buffer = new ArrayList<>(Math.min(batch.size(), options.batchRows()));
        inFlight =
                io.submit(
                        () -> {
                            writeBatch(batch);
                            return null;
                        });
    }

    private void awaitIfDone() throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            awaitInFlight();
        }
    }

    /** Waits for the batch in flight; its failure becomes this call's. */
    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        Future<?> batch = inFlight;
        inFlight = null;
        try {
            batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.cancel(true);
            throw new IOException("interrupted while writing to " + rows.table(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                // Same message as the writer thread's, with this thread's stack as well.
                throw new IOException(io.getMessage(), io);
            }
            throw new IOException("writing to " + rows.table() + " failed: " + cause, cause);
        }
    }

    /**
     * Writes one batch (on the writer thread), retrying with exponential backoff (capped at {@link
     * #MAX_BACKOFF}). Two kinds of failure are told apart:
     *
     * <ul>
     *   <li>the server answered with an error (or a row could not be bound): retried {@code
     *       maxAttempts} times, then the job fails and restarts from its last checkpoint;
     *   <li>the server could not be reached (connection refused or reset, no answer: an I/O failure
     *       in the cause chain): retried for as long as the server stays unreachable, up to {@code
     *       unavailableTimeout}. Failing the job would not help here: a restarted job meets the
     *       same unreachable server, and a short outage (a restart, a failover) would use up the
     *       restart strategy's attempts and leave the job failed for good.
     * </ul>
     *
     * Either way the batch is kept until it is stored and nothing is written twice by the writer
     * itself; a batch that reached the server just before the connection broke is written again,
     * which the ReplacingMergeTree tables absorb.
     */
    private void writeBatch(List<T> buffer) throws IOException {
        long backoff = options.initialBackoff().toMillis();
        long unavailableSince = -1;
        int attempts = 0;
        for (int call = 1; ; call++) {
            try {
                int sent = insert(buffer);
                BenchProbe.committed(sent);
                rowsWritten.inc(sent);
                rowsExpired.inc(buffer.size() - sent);
                if (sent > 0) {
                    batchesWritten.inc();
                }
                if (unavailableSince >= 0) {
                    LOG.info(
                            "ClickHouse at {} reachable again after {} ms; wrote {} rows to {}",
                            settings.url(),
                            System.nanoTime() / 1_000_000 - unavailableSince,
                            buffer.size(),
                            rows.table());
                }
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                long now = System.nanoTime() / 1_000_000;
                boolean unreachable = isUnreachable(e);
                String limit;
                if (unreachable) {
                    if (unavailableSince < 0) {
                        unavailableSince = now;
                    }
                    if (now - unavailableSince >= unavailableTimeout.toMillis()) {
                        throw new IOException(
                                "writing "
                                        + buffer.size()
                                        + " rows to "
                                        + rows.table()
                                        + " failed: ClickHouse unreachable for "
                                        + (now - unavailableSince)
                                        + " ms: "
                                        + e.getMessage(),
                                e);
                    }
                    limit =
                            "unreachable for "
                                    + (now - unavailableSince)
                                    + " ms of at most "
                                    + unavailableTimeout.toMillis();
                } else {
                    attempts++;
                    if (attempts >= options.maxAttempts()) {
                        throw new IOException(
                                "writing "
                                        + buffer.size()
                                        + " rows to "
                                        + rows.table()
                                        + " failed after "
                                        + attempts
                                        + " attempts: "
                                        + e.getMessage(),
                                e);
                    }
                    limit = "attempt " + attempts + "/" + options.maxAttempts();
                }
                retries.inc();
                LOG.warn(
                        "writing {} rows to {} at {} failed ({}), retrying in {} ms: {}",
                        buffer.size(),
                        rows.table(),
                        settings.url(),
                        limit,
                        backoff,
                        e.getMessage());
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /**
     * True when the failure means the server could not be reached or did not answer (an I/O failure
     * somewhere in the cause chain: connection refused, reset, timed out, no response), as opposed
     * to an error the server answered with.
     */
    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Inserts the rows of the batch the table has not expired; returns how many it sent. */
    private int insert(List<T> batch) throws SQLException {
        if (connection == null) {
            connection =
                    options.rowBinary()
                            ? settings.connectForRowBinaryInserts()
                            : settings.connect();
            readTtl();
        } else if (System.nanoTime() - ttlReadAtNanos >= TTL_REFRESH.toNanos()) {
            readTtl();
        }
        List<T> send = unexpired(batch);
        if (send.isEmpty()) {
            return 0;
        }
        if (statement == null) {
            // Prepared once per connection: for binary rows the driver reads the table's columns
            // (a DESCRIBE) when it prepares the statement. After a failure the connection, and
            // with it the statement and any row it held, is closed (writeBatch).
            statement = connection.prepareStatement(insertSql);
            // For SQL text the driver inlines bound values into the statement and, with escape
            // processing on, rewrites JDBC escapes ({fn ...}) in all of it, values included: it
            // would alter stored text, and its regular expressions over every batch cost as much
            // CPU as binding the values.
            statement.setEscapeProcessing(false);
        }
        for (T row : send) {
            rows.bind(statement, row);
            statement.addBatch();
        }
        statement.executeBatch();
        return send.size();
    }

    /** The rows of {@code batch} the table's TTL has not expired (all of them without a TTL). */
    private List<T> unexpired(List<T> batch) {
        if (ttl == null || ttl.isEmpty()) {
            return batch;
        }
        long before = TableTtl.expiredBefore(ttl.get(), System.currentTimeMillis());
        List<T> send = new ArrayList<>(batch.size());
        for (T row : batch) {
            if (rows.ttlTime(row) >= before) {
                send.add(row);
            }
        }
        return send;
    }

    /**
     * Reads the table's TTL (on the writer thread). A failure other than an unreachable server
     * (which the insert's retries handle) leaves the TTL unknown: every row is sent.
     */
    private void readTtl() throws SQLException {
        ttlReadAtNanos = System.nanoTime();
        if (rows.ttlColumn() == null) {
            ttl = Optional.empty();
            return;
        }
        Optional<Duration> found;
        try {
            found = TableTtl.read(connection, rows.table(), rows.ttlColumn());
        } catch (SQLException e) {
            if (isUnreachable(e)) {
                throw e;
            }
            LOG.warn(
                    "could not read the TTL of {} ({}); every row is sent",
                    rows.table(),
                    e.getMessage());
            found = Optional.empty();
        }
        if (!found.equals(ttl)) {
            if (found.isPresent()) {
                LOG.info(
                        "{} deletes rows whose {} is more than {} old (its TTL): rows more than {} past"
                                + " that are not sent (metric clickhouse.{}.rowsExpired)",
                        rows.table(),
                        rows.ttlColumn(),
                        TableTtl.describe(found.get()),
                        TableTtl.describe(TableTtl.MARGIN),
                        rows.table());
            } else if (ttl != null) {
                LOG.info(
                        "{} has no TTL on {} any more: every row is sent",
                        rows.table(),
                        rows.ttlColumn());
            }
        }
        ttl = found;
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
        closeQuietly(statement, "the insert statement");
        statement = null;
        closeQuietly(connection, "ClickHouse connection");
        connection = null;
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed", what, e);
            }
        }
    }
}
