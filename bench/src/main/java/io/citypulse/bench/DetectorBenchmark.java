package io.citypulse.bench;

import io.citypulse.alerts.detector.CountTail;
import io.citypulse.alerts.detector.DetectorSettings;
import io.citypulse.alerts.detector.Evaluation;
import io.citypulse.alerts.detector.Seasons;
import io.citypulse.alerts.detector.SeriesModel;
import io.citypulse.alerts.detector.SpikeTest;
import io.citypulse.alerts.detector.WindowRing;
import java.time.ZoneId;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The spike detector's arithmetic, run once per series per 5-minute bucket (evaluation) and per
 * local hour (learning): the negative-binomial / Poisson upper tail ({@link CountTail}), the
 * multi-window test over a full ring ({@link SpikeTest}) and the seasonal baseline's expectation
 * and update ({@link SeriesModel}). One operation = one call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DetectorBenchmark {

    private static final DetectorSettings S = DetectorSettings.DEFAULTS;
    private static final int POOL = 256;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private long[] counts;
    private double[] means;
    private WindowRing[] rings;
    private SeriesModel model;
    private long hour;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(9);
        counts = new long[POOL];
        means = new double[POOL];
        rings = new WindowRing[POOL];
        for (int n = 0; n < POOL; n++) {
            means[n] = 2 + random.nextDouble() * 40;
            counts[n] = (long) (means[n] * (0.5 + random.nextDouble() * 2));
            WindowRing ring = new WindowRing();
            for (int h = 0; h < WindowRing.HOURS; h++) {
                ring.pushHour(random.nextInt(60), 30);
            }
            for (int b = 0; b < WindowRing.BUCKETS; b++) {
                // Mostly usual buckets, some series in a surge.
                int usual = 2 + random.nextInt(4);
                ring.push(n % 8 == 0 && b > 30 ? usual * 5 : usual, 3.0);
            }
            ring.hourExpected = 36;
            ring.inverseDispersion = 0.02;
            rings[n] = ring;
        }
        model = new SeriesModel();
        hour = BenchEvents.START;
        for (int h = 0; h < 24 * 14; h++) {
            learnOneHour(random.nextInt(30));
        }
    }

    private int next() {
        i = (i + 1) & (POOL - 1);
        return i;
    }

    private double learnOneHour(int count) {
        int week = Seasons.weekSlot(hour, ZONE);
        int day = Seasons.daySlot(hour, ZONE);
        double expected = model.expected(week, day, Double.NaN, false, S);
        hour += 3_600_000L;
        model.learn(hour, count, expected, week, day, -1, S);
        return expected;
    }

    @Benchmark
    public double upperTailNegativeBinomial() {
        int n = next();
        return CountTail.upperTail(counts[n], means[n], 50.0);
    }

    @Benchmark
    public double upperTailPoisson() {
        int n = next();
        return CountTail.upperTail(counts[n], means[n], Double.POSITIVE_INFINITY);
    }

    @Benchmark
    public Evaluation spikeTestEvaluate() {
        return SpikeTest.evaluate(rings[next()], S);
    }

    @Benchmark
    public double seriesModelExpectAndLearn() {
        return learnOneHour((int) counts[next()]);
    }
}
