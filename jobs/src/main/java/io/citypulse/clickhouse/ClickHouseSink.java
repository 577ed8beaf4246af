package io.citypulse.clickhouse;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes records to a ClickHouse table through ClickHouse JDBC, in batches (by rows and time),
 * flushed at every checkpoint and retried with backoff. Delivery is at-least-once; the tables are
 * ReplacingMergeTree keyed by the row's identity, so a replayed or retried row replaces itself and
 * query results are the same as with exactly-once delivery.
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

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
