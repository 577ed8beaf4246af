package io.citypulse.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.testutils.ClickHouseTestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ClickHouse sink writer against the real ClickHouse engine: when rows become visible (batch
 * size, flush interval, checkpoint flush) and what a failing insert does (retry, then fail).
 */
@Timeout(120)
class ClickHouseSinkWriterITCase {

    /** Rows (id, label) of a throw-away table; can be told to fail the next N binds. */
    static final class Rows implements RowWriter<Long> {
        private static final long serialVersionUID = 1L;
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public String table() {
            return "sink_test";
        }

        @Override
        public List<String> columns() {
            return List.of("id", "label");
        }

        @Override
        public void bind(PreparedStatement ps, Long row) throws SQLException {
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("injected failure");
            }
            ps.setLong(1, row);
            ps.setString(2, "row-" + row);
        }
    }

    private ClickHouseTestDatabase db;
    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final Rows rows = new Rows();

    @BeforeEach
    void createTable() throws Exception {
        db = ClickHouseTestDatabase.create("it_sink");
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE sink_test (id UInt64, label String) ENGINE = MergeTree ORDER BY id");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        db.close();
    }

    private ClickHouseSinkWriter<Long> writer(int batchRows, Duration interval, int attempts) {
        return new ClickHouseSinkWriter<>(
                db.settings(),
                rows,
                new SinkOptions(batchRows, interval, attempts, Duration.ofMillis(10)),
                time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private long stored() throws SQLException {
        return db.queryLong("SELECT count() FROM sink_test");
    }

    @Test
    void shouldWriteAFullBatchAtOnceAndKeepTheRestUntilFlush() throws Exception {
        try (ClickHouseSinkWriter<Long> w = writer(3, Duration.ofMinutes(10), 1)) {
            for (long i = 1; i <= 4; i++) {
                w.write(i, null);
            }
            assertThat(stored()).as("one full batch of 3").isEqualTo(3);

            w.flush(false); // what the checkpoint barrier triggers
            assertThat(stored()).isEqualTo(4);
            assertThat(db.queryLong("SELECT sum(id) FROM sink_test")).isEqualTo(1 + 2 + 3 + 4);
        }
    }

    @Test
    void shouldWriteBufferedRowsWhenTheFlushIntervalPasses() throws Exception {
        time.setCurrentTime(1_000);
        try (ClickHouseSinkWriter<Long> w = writer(1_000, Duration.ofSeconds(2), 1)) {
            w.write(7L, null);
            w.write(8L, null);
            time.setCurrentTime(2_999);
            assertThat(stored()).isZero();

            time.setCurrentTime(3_000);
            assertThat(stored()).isEqualTo(2);

            w.write(9L, null);
            time.setCurrentTime(5_000); // the timer re-arms itself
            assertThat(stored()).isEqualTo(3);
        }
    }

    @Test
    void shouldRetryAFailedInsertAndWriteEachRowOnce() throws Exception {
        rows.failuresLeft.set(2);
        try (ClickHouseSinkWriter<Long> w = writer(2, Duration.ZERO, 3)) {
            w.write(1L, null);
            w.write(2L, null);
            assertThat(stored()).isEqualTo(2);
            assertThat(db.queryLong("SELECT uniqExact(id) FROM sink_test")).isEqualTo(2);
        }
    }

    @Test
    void shouldFailWithTheTableAndCauseAfterTheLastAttempt() throws Exception {
        rows.failuresLeft.set(10);
        try (ClickHouseSinkWriter<Long> w = writer(1, Duration.ZERO, 3)) {
            assertThatThrownBy(() -> w.write(1L, null))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("sink_test")
                    .hasMessageContaining("3 attempts")
                    .hasMessageContaining("injected failure");
        }
        assertThat(rows.failuresLeft.get()).as("three attempts were made").isEqualTo(7);
        assertThat(stored()).isZero();
    }
}
