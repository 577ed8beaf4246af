package io.citypulse.bench;

import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.MultiWindowCounter;
import io.citypulse.counts.MultiWindowCounterOperator;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link MultiWindowCounter}, the keyed operator every counted event passes, in Flink's keyed
 * operator harness on the heap and on the embedded RocksDB backend (as deployed). Each invocation
 * feeds {@link #BATCH} facts spread over {@code keys} dimension keys (skewed) and five minutes of
 * event time (about the event-time density of a Shenzhen-size city), then advances the watermark to
 * {@code lag} behind the latest fact (final rows, window clean-up); every {@link #PARTIAL_EVERY}
 * invocations it also advances processing time by the partial-result interval (live partial rows of
 * every changed window, as at a 5,000 events/s live rate with partial rows every 10 s).
 * Steady-state state size and every timer path are included. Harness overhead (record wrapping, key
 * context switching) is in the numbers; network, serialization between tasks and checkpoints are
 * not. One operation = one fact.
 *
 * <p>{@code rocksdb-cached} runs the counter as the job does, in {@link MultiWindowCounterOperator}
 * with its write-back cache (20,000 keys), and performs the pre-barrier step of a checkpoint (the
 * cache's write-back) every {@link #CHECKPOINT_EVERY} invocations.
 *
 * <p>{@code lag} {@code PT1M} is a live job's watermark; {@code PT3H} is a replay's, where the
 * watermark trails the events the counter sees by hours (README, "In a replay the watermark
 * trails"), so every key holds many more open windows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CounterBenchmark {

    static final int BATCH = 1000;

    /** Invocations (of {@link #BATCH} facts) between partial-result flushes. */
    static final int PARTIAL_EVERY = 50;

    /** Invocations between checkpoints' write-backs: 160,000 facts, 10 s at 16,000 facts/s. */
    static final int CHECKPOINT_EVERY = 160;

    /** Facts spaced so that one batch spans five minutes of event time. */
    private static final long SPACING_MS = 300;

    @Param({"heap", "rocksdb", "rocksdb-cached"})
    public String backend;

    @Param({"2000"})
    public int keys;

    /** How far the watermark trails the latest fact (an ISO-8601 duration). */
    @Param({"PT1M"})
    public String lag;

    private long lagMs;

    private KeyedOneInputStreamOperatorTestHarness<String, CountFact, CountRow> harness;
    private String[] keyPool;
    private int[] keyOrder;
    private long time;
    private long processingTime;
    private int n;
    private int invocations;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MultiWindowCounter counter =
                new MultiWindowCounter(
                        9, ZoneId.of("Asia/Shanghai"), Duration.ofHours(1), Duration.ofSeconds(10));
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        backend.equals("rocksdb-cached")
                                ? new MultiWindowCounterOperator(counter, 20_000)
                                : new KeyedProcessOperator<>(counter),
                        f -> f.key,
                        Types.STRING);
        if (backend.startsWith("rocksdb")) {
            harness.setStateBackend(RocksDbBackend.withOwnMemory());
        }
        harness.open();
        lagMs = Duration.parse(lag).toMillis();
        Random random = new Random(5);
        keyPool = new String[keys];
        for (int k = 0; k < keys; k++) {
            keyPool[k] =
                    CountFact.key(
                            "MAJOR" + (k % 18),
                            "MAJOR" + (k % 18) + "-ITEM" + k,
                            BenchEvents.DISTRICTS[k % BenchEvents.DISTRICTS.length],
                            k % 3 == 0 ? "" : "Agency " + (k % 40),
                            BenchEvents.CHANNELS[k % BenchEvents.CHANNELS.length]);
        }
        // Skewed like real categories: a few keys take most events.
        keyOrder = new int[1 << 16];
        for (int j = 0; j < keyOrder.length; j++) {
            keyOrder[j] = (int) Math.min(keys - 1, Math.abs(random.nextGaussian()) * keys / 4);
        }
        time = BenchEvents.START;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int count() throws Exception {
        for (int j = 0; j < BATCH; j++) {
            String key = keyPool[keyOrder[n++ & (keyOrder.length - 1)]];
            time += SPACING_MS;
            harness.processElement(
                    new StreamRecord<>(new CountFact(key, time, 1 << (j % 9)), time));
        }
        if (++invocations % PARTIAL_EVERY == 0) {
            processingTime += 10_000;
            harness.setProcessingTime(processingTime);
        }
        if (invocations % CHECKPOINT_EVERY == 0) {
            harness.prepareSnapshotPreBarrier(invocations);
        }
        harness.processWatermark(new Watermark(time - lagMs));
        int emitted = harness.getOutput().size();
        harness.getOutput().clear();
        return emitted;
    }
}
