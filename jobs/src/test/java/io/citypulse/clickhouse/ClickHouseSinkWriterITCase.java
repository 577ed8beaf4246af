package io.citypulse.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.Poll;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ClickHouse sink writer against the real ClickHouse engine: when rows become visible (batch
 * size, flush interval, checkpoint flush), that inserts run off the task thread, and what a failing
 * insert does (retry, then fail at the next flush).
 */
@Timeout(120)
class ClickHouseSinkWriterITCase {

    /** Rows (id, label) of a throw-away table; can be told to fail the next N binds. */
    static final class Rows implements RowWriter<Long> {
        private static final long serialVersionUID = 1L;
        final AtomicInteger failuresLeft = new AtomicInteger();

        /** When set, binding a row waits (up to 30 s) until it is opened. */
        volatile CountDownLatch hold;

        /** Counted down when a bind starts. */
        final CountDownLatch binding = new CountDownLatch(1);

        /** The label stored with a row id. */
        volatile java.util.function.LongFunction<String> label = id -> "row-" + id;

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
            binding.countDown();
            CountDownLatch h = hold;
            try {
                if (h != null && !h.await(30, TimeUnit.SECONDS)) {
                    throw new SQLException("test hold not released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("injected failure");
            }
            ps.setLong(1, row);
            ps.setString(2, label.apply(row));
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
                new SinkOptions(batchRows, interval, attempts, Duration.ofMillis(10), true),
                time,
                UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    private long stored() throws SQLException {
        return db.queryLong("SELECT count() FROM sink_test");
    }

    /** Polls until the table holds {@code n} rows; the writer thread stores batches on its own. */
    private void awaitStored(long n) throws Exception {
        Poll.until(
                Duration.ofSeconds(30),
                Duration.ofMillis(20),
                () -> n + " rows stored",
                () -> stored() == n);
    }

    @Test
    void shouldWriteAFullBatchAtOnceAndKeepTheRestUntilFlush() throws Exception {
        try (ClickHouseSinkWriter<Long> w = writer(3, Duration.ofMinutes(10), 1)) {
            for (long i = 1; i <= 4; i++) {
                w.write(i, null);
            }
            awaitStored(3); // one full batch of 3, without a flush
            assertThat(db.queryLong("SELECT max(id) FROM sink_test")).isEqualTo(3);

            w.flush(false); // what the checkpoint barrier triggers: waits until stored
            assertThat(stored()).isEqualTo(4);
            assertThat(db.queryLong("SELECT sum(id) FROM sink_test")).isEqualTo(1 + 2 + 3 + 4);
        }
    }

    @Test
    void shouldStoreTextThatLooksLikeJdbcEscapeSyntaxVerbatim() throws Exception {
        // The driver rewrites {fn ...}, {d '...'} and {ts '...'} in the statement text unless
        // escape processing is off, and bound values are part of that text: "{fn x}" would be
        // stored as "x". Citizens' and platforms' text can hold anything.
        String[] labels = {
            "see {fn ucase('x')} here", "{d '2026-11-26'}", "{ts '2026-11-26 08:00:00'}", "{fn}"
        };
        rows.label = id -> labels[(int) id - 1];
        try (ClickHouseSinkWriter<Long> w = writer(100, Duration.ofMinutes(10), 1)) {
            for (long i = 1; i <= labels.length; i++) {
                w.write(i, null);
            }
            w.flush(false);
        }
        assertThat(db.query("SELECT label FROM sink_test ORDER BY id"))
                .extracting(r -> r.get("label"))
                .containsExactly((Object[]) labels);
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
            awaitStored(2);

            w.write(9L, null);
            assertThat(stored()).as("row 9 waits for the next tick").isEqualTo(2);
            // The timer re-arms itself every 2 s; a tick that finds the previous batch still in
            // flight leaves the rows for the next one, so tick until stored.
            long[] now = {3_000};
            Poll.until(
                    Duration.ofSeconds(30),
                    Duration.ofMillis(20),
                    "row 9 stored",
                    () -> {
                        if (stored() == 3) {
                            return true;
                        }
                        now[0] += 2_000;
                        time.setCurrentTime(now[0]);
                        return false;
                    });
        }
    }

    /** Rows (id, t) of a table whose TTL counts from t. */
    static final class TimedRows implements RowWriter<long[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public String table() {
            return "ttl_test";
        }

        @Override
        public List<String> columns() {
            return List.of("id", "t");
        }

        @Override
        public void bind(PreparedStatement ps, long[] row) throws SQLException {
            ps.setLong(1, row[0]);
            RowWriter.setTime(ps, 2, row[1]);
        }

        @Override
        public String ttlColumn() {
            return "t";
        }

        @Override
        public long ttlTime(long[] row) {
            return row[1];
        }
    }

    /** Keeps the counters a writer registers, by name. */
    static final class Counters extends UnregisteredMetricsGroup {
        final java.util.Map<String, org.apache.flink.metrics.Counter> byName =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public MetricGroup addGroup(String key, String value) {
            return this;
        }

        @Override
        public <C extends org.apache.flink.metrics.Counter> C counter(String name, C counter) {
            byName.put(name, counter);
            return counter;
        }
    }

    private ClickHouseSinkWriter<long[]> timedWriter(MetricGroup metrics) {
        return new ClickHouseSinkWriter<>(
                db.settings(),
                new TimedRows(),
                new SinkOptions(100, Duration.ZERO, 1, Duration.ofMillis(10), true),
                time,
                metrics);
    }

    @Test
    void shouldNotSendRowsTheTablesTtlHasExpired() throws Exception {
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE ttl_test (id UInt64, t DateTime64(3)) ENGINE = MergeTree ORDER BY id"
                            + " TTL toDateTime(t) + INTERVAL 30 DAY");
            // Row 2 is past the TTL: a TTL merge must not delete it before it is counted.
            s.execute("SYSTEM STOP TTL MERGES ttl_test");
        }
        long day = Duration.ofDays(1).toMillis();
        long now = System.currentTimeMillis();
        long[][] batch = {
            {1, now - 40 * day}, // ten days past the TTL: the table deletes it, not sent
            {2, now - 30 * day - 2 * 3_600_000L}, // past the TTL, within the margin: sent
            {3, now - day}, // kept
            {4, now - 31 * day - 3_600_000L}, // a day and an hour past the TTL: not sent
        };
        Counters metrics = new Counters();
        try (ClickHouseSinkWriter<long[]> w = timedWriter(metrics)) {
            for (long[] row : batch) {
                w.write(row, null);
            }
            w.flush(false);
        }
        assertThat(db.query("SELECT id FROM ttl_test ORDER BY id"))
                .extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(2L, 3L);
        assertThat(metrics.byName.get("rowsWritten").getCount()).isEqualTo(2);
        assertThat(metrics.byName.get("rowsExpired").getCount()).isEqualTo(2);

        // Without a TTL every row is sent; a new writer reads the table's TTL again.
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute("ALTER TABLE ttl_test REMOVE TTL");
        }
        try (ClickHouseSinkWriter<long[]> w = timedWriter(new Counters())) {
            w.write(batch[0], null);
            w.flush(false);
        }
        assertThat(db.query("SELECT id FROM ttl_test ORDER BY id"))
                .extracting(r -> ((Number) r.get("id")).longValue())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldRetryAFailedInsertAndWriteEachRowOnce() throws Exception {
        rows.failuresLeft.set(2);
        try (ClickHouseSinkWriter<Long> w = writer(2, Duration.ZERO, 3)) {
            w.write(1L, null);
            w.write(2L, null);
            w.flush(false);
            assertThat(stored()).isEqualTo(2);
            assertThat(db.queryLong("SELECT uniqExact(id) FROM sink_test")).isEqualTo(2);
        }
    }

    @Test
    void shouldFailWithTheTableAndCauseAfterTheLastAttempt() throws Exception {
        rows.failuresLeft.set(10);
        try (ClickHouseSinkWriter<Long> w = writer(1, Duration.ZERO, 3)) {
            w.write(1L, null); // handed to the writer thread, which gives up after 3 attempts
            assertThatThrownBy(() -> w.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("sink_test")
                    .hasMessageContaining("3 attempts")
                    .hasMessageContaining("injected failure");
        }
        assertThat(rows.failuresLeft.get()).as("three attempts were made").isEqualTo(7);
        assertThat(stored()).isZero();
    }

    @Test
    void shouldKeepTheTaskGoingWhileABatchIsBeingInserted() throws Exception {
        rows.hold = new CountDownLatch(1);
        try (ClickHouseSinkWriter<Long> w = writer(1, Duration.ZERO, 1)) {
            w.write(1L, null); // a full batch; its insert waits in bind until the hold opens
            assertThat(rows.binding.await(30, TimeUnit.SECONDS))
                    .as("the insert started on the writer thread")
                    .isTrue();
            assertThat(stored()).as("write() returned before the batch was stored").isZero();

            rows.hold.countDown();
            w.flush(false);
            assertThat(stored()).isEqualTo(1);
        }
    }
}
