package io.citypulse.clickhouse;

import io.citypulse.common.Args;
import java.io.Serializable;
import java.time.Duration;

/**
 * Batching, retry and encoding policy of the ClickHouse sink. A batch is written when it reaches
 * {@code batchRows}, when {@code flushInterval} has passed, and at every checkpoint; a failed write
 * is retried {@code maxAttempts} times with exponential backoff from {@code initialBackoff}. With
 * {@code rowBinary} the driver sends the rows in ClickHouse's binary row format (RowBinary, the
 * driver's {@code beta.row_binary_for_simple_insert}); without it ({@code --sink-text-inserts}) as
 * the SQL text of an {@code INSERT ... VALUES}.
 *
 * <p>The default batch, {@value #DEFAULT_BATCH_ROWS} rows, matters in replays, where a count
 * table's rows come faster than the flush interval: each insert is a new part that ClickHouse later
 * merges, and fewer, larger inserts cut the engine's work (README, "What the changes bought").
 * Live, at thousands of events a second, the flush interval sends the batches first.
 */
public record SinkOptions(
        int batchRows,
        Duration flushInterval,
        int maxAttempts,
        Duration initialBackoff,
        boolean rowBinary)
        implements Serializable {

    /** Rows a batch holds before it is written, unless {@code --sink-batch-rows} says otherwise. */
    public static final int DEFAULT_BATCH_ROWS = 50_000;

    public static SinkOptions from(Args args) {
        SinkOptions o =
                new SinkOptions(
                        args.integer("sink-batch-rows", DEFAULT_BATCH_ROWS),
                        args.duration("sink-flush-interval", Duration.ofSeconds(2)),
                        args.integer("sink-max-attempts", 6),
                        args.duration("sink-initial-backoff", Duration.ofMillis(500)),
                        !args.flag("sink-text-inserts"));
        if (o.batchRows < 1 || o.maxAttempts < 1 || o.flushInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "sink batch rows and attempts must be >= 1, flush interval >= 0");
        }
        return o;
    }

    public static SinkOptions defaults() {
        return new SinkOptions(
                DEFAULT_BATCH_ROWS, Duration.ofSeconds(2), 6, Duration.ofMillis(500), true);
    }
}
