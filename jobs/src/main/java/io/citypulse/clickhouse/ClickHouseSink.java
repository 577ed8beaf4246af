package io.citypulse.clickhouse;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records to a ClickHouse table through ClickHouse JDBC, in batches (by rows and time),
 * flushed at every checkpoint and retried with backoff. Delivery is at-least-once; the tables are
 * ReplacingMergeTree keyed by the row's identity, so a replayed or retried row replaces itself and
 * query results are the same as with exactly-once delivery.
 *
 * <p>Inserts run on a writer thread of their own, one batch in flight at a time, so the operators
 * chained before the sink keep working while ClickHouse stores a batch; every checkpoint waits
 * until the batch in flight and the buffered rows are stored.
 *
 * <p>An insert the server answers with an error is retried {@code maxAttempts} times before the job
 * fails (and restarts from its checkpoint). A server that cannot be reached at all is waited for,
 * up to {@link #DEFAULT_UNAVAILABLE_TIMEOUT}: an outage of a minute or two (a restart, a failover)
 * then only delays the rows, instead of failing the job again after every restart until the restart
 * strategy gives up (see {@code ClickHouseSinkWriter#writeBatch}).
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /**
     * How long the writer waits for an unreachable ClickHouse before it fails the job. Below
     * Flink's default checkpoint timeout (10 min), so a checkpoint waiting for the flush is not
     * declined first.
     */
    public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofMinutes(5);

    private final ClickHouseSettings settings;
    private final RowWriter<T> rows;
    private final SinkOptions options;

    public ClickHouseSink(ClickHouseSettings settings, RowWriter<T> rows, SinkOptions options) {
        this.settings = settings;
        this.rows = rows;
        this.options = options;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new ClickHouseSinkWriter<>(
                settings, rows, options, context.getProcessingTimeService(), context.metricGroup());
    }
}
