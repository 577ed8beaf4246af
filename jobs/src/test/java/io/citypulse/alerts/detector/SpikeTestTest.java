package io.citypulse.alerts.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The "too many?" test on hand-made rings. Poisson tails quoted in comments were computed
 * independently as 1 - sum_{k<x} e^-m m^k / k! (Python, exact).
 */
class SpikeTestTest {

    static final DetectorSettings S = DetectorSettings.DEFAULTS;

    /** A ring where every bucket expected {@code perBucket} and counted {@code count}. */
    static WindowRing ring(double perBucket, int count) {
        WindowRing r = new WindowRing();
        r.inverseDispersion = 0; // Poisson: the hand-worked tails below are Poisson tails
        for (int i = 0; i < WindowRing.BUCKETS; i++) {
            r.push(count, perBucket);
        }
        return r;
    }

    @Test
    void aNormalHourIsNotElevated() {
        Evaluation e = SpikeTest.evaluate(ring(1.0, 1), S);
        assertThat(e.opens()).isFalse();
        assertThat(e.stays()).isFalse();
        assertThat(e.buckets()).isEqualTo(12); // the hour is reported when nothing stands out
        assertThat(e.observed()).isEqualTo(12);
        assertThat(e.expected()).isCloseTo(12.0, within(1e-9));
    }

    @Test
    void fifteenMinutesOpenExactlyWhereThePoissonTailCrossesTheThreshold() {
        // Expected 3 in the last 15 minutes (3 buckets of 1). P(X >= 14 | 3) = 3.4e-6 <= 1e-5,
        // P(X >= 13 | 3) = 1.6e-5 > 1e-5: 14 opens, 13 does not (on this window).
        WindowRing thirteen = ring(1.0, 1);
        WindowRing fourteen = ring(1.0, 1);
        // Replace the last bucket: 1 + 1 + 11 = 13 and 1 + 1 + 12 = 14 in 15 minutes.
        thirteen.counts[Math.floorMod(thirteen.head - 1, WindowRing.BUCKETS)] = 11;
        fourteen.counts[Math.floorMod(fourteen.head - 1, WindowRing.BUCKETS)] = 12;
        Evaluation no = SpikeTest.evaluate(thirteen, S);
        Evaluation yes = SpikeTest.evaluate(fourteen, S);
        assertThat(yes.opens()).isTrue();
        assertThat(yes.buckets()).isEqualTo(3);
        assertThat(yes.pValue()).isCloseTo(3.4019146131214484e-06, within(1e-12));
        // 13 in 15 minutes is 16 in 30 minutes against 6 (P = 5.1e-4) and 22 in the hour
        // against 12: no window opens.
        assertThat(no.opens()).isFalse();
    }

    @Test
    void minimumVolumeKeepsTinySeriesQuiet() {
        // Expected 0.1 per hour (a rare item); 7 events in an hour. Against the one-event floor
        // P(X >= 7 | 1) = 8.3e-5 > 1e-5 and anyway 7 < min-count 8: not a spike.
        WindowRing r = ring(0.1 / 12, 0);
        r.counts[Math.floorMod(r.head - 1, WindowRing.BUCKETS)] = 7;
        assertThat(SpikeTest.evaluate(r, S).opens()).isFalse();
        // 3 instead of 1 is never a spike for a small category.
        WindowRing three = ring(1.0 / 12, 0);
        three.counts[Math.floorMod(three.head - 1, WindowRing.BUCKETS)] = 3;
        assertThat(SpikeTest.evaluate(three, S).opens()).isFalse();
        // 11 where 1 was expected in the hour: P(X >= 11 | 1) = 1.0e-8, 11 >= 8, excess 10 >= 6,
        // ratio 11 >= 1.5: a spike.
        WindowRing eleven = ring(1.0 / 12, 0);
        eleven.counts[Math.floorMod(eleven.head - 1, WindowRing.BUCKETS)] = 11;
        Evaluation e = SpikeTest.evaluate(eleven, S);
        assertThat(e.opens()).isTrue();
    }

    @Test
    void aLargeSeriesNeedsARealMultipleNotJustSignificance() {
        // 1000 expected per 15 minutes, 1300 observed: wildly significant under Poisson, but
        // only 1.3x, below min-ratio 1.5.
        WindowRing r = ring(1000.0 / 3, 333);
        int last = Math.floorMod(r.head - 1, WindowRing.BUCKETS);
        r.counts[last] = 634; // 333 + 333 + 634 = 1300 in the last 15 minutes
        Evaluation e = SpikeTest.evaluate(r, S);
        assertThat(e.opens()).isFalse();
    }

    @Test
    void overDispersionRaisesTheBar() {
        WindowRing poisson = ring(1.0, 1);
        poisson.counts[Math.floorMod(poisson.head - 1, WindowRing.BUCKETS)] = 13; // 15 vs 3
        WindowRing noisy = ring(1.0, 1);
        noisy.counts[Math.floorMod(noisy.head - 1, WindowRing.BUCKETS)] = 13;
        noisy.inverseDispersion = 0.5; // r = 2: variance 3 + 9/2 instead of 3
        Evaluation p = SpikeTest.evaluate(poisson, S);
        Evaluation n = SpikeTest.evaluate(noisy, S);
        assertThat(p.opens()).isTrue();
        assertThat(n.pValue()).isGreaterThan(p.pValue() * 100);
    }

    @Test
    void anOpenAlertStaysOnTheLooserRuleAndOnlyOnRecentWindows() {
        // 1.5x over the last hour: P(X >= 18 | 12) = 0.063 > 0.01: not even staying.
        WindowRing mild = ring(1.0, 1);
        for (int i = 1; i <= 6; i++) {
            mild.counts[Math.floorMod(mild.head - i, WindowRing.BUCKETS)] = 2;
        }
        assertThat(SpikeTest.evaluate(mild, S).stays()).isFalse();
        // 2x over the last hour: P(X >= 24 | 12) = 0.0015 <= 0.01 and 2 >= 1.2: stays.
        WindowRing twice = ring(1.0, 1);
        for (int i = 1; i <= 12; i++) {
            twice.counts[Math.floorMod(twice.head - i, WindowRing.BUCKETS)] = 2;
        }
        Evaluation e = SpikeTest.evaluate(twice, S);
        assertThat(e.stays()).isTrue();
        // A surge two hours ago, calm since: the 3-hour window still opens, but that does not
        // keep an alert open.
        WindowRing past = ring(1.0, 1);
        for (int i = 25; i <= 36; i++) {
            past.counts[Math.floorMod(past.head - i, WindowRing.BUCKETS)] = 10;
        }
        Evaluation old = SpikeTest.evaluate(past, S);
        assertThat(old.opens()).isTrue();
        assertThat(old.buckets()).isEqualTo(36);
        assertThat(old.stays()).isFalse();
        // ... and once an alert about it resolved, windows reaching back to it are not tested.
        assertThat(SpikeTest.evaluate(past, S, 12).opens()).isFalse();
    }

    @Test
    void aDayAboveItsLevelIsCaughtByTheDayLongWindow() {
        // 1 an hour expected; 3 an hour for the last 23 hours and this hour: no short window is
        // remarkable (P(X >= 9 | 3) = 0.0038 over 3 hours), the day is: 72 against 24.
        // (2 an hour would not do: P(X >= 48 | 24) = 1.04e-5 > 1e-5.)
        WindowRing r = new WindowRing();
        r.inverseDispersion = 0;
        for (int h = 0; h < WindowRing.HOURS; h++) {
            r.pushHour(3, 1.0);
        }
        for (int i = 0; i < 12; i++) {
            r.push(i % 4 == 0 ? 1 : 0, 1.0 / 12); // 3 in the current hour
        }
        Evaluation e = SpikeTest.evaluate(r, S);
        assertThat(r.observedDay()).isEqualTo(72);
        assertThat(r.expectedDay()).isCloseTo(24.0, within(1e-5));
        assertThat(e.buckets()).isEqualTo(r.dayBuckets());
        assertThat(e.opens()).isTrue();
    }

    /**
     * The windows' sums come from one walk over the ring; the oracle sums each window on its own
     * with {@link WindowRing#observed}, {@link WindowRing#expected} and the day's methods, then
     * applies the same rules. On random rings (unknown expectations early on, hours pushed at
     * random, any dispersion) and every cap on the window length, both must give the same
     * evaluation, to the last bit.
     */
    @Test
    void sumsEveryWindowAsTheRingsOwnSumsDo() {
        java.util.Random random = new java.util.Random(17);
        int opened = 0;
        for (int round = 0; round < 3000; round++) {
            WindowRing r = new WindowRing();
            r.inverseDispersion = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.5;
            int pushes = random.nextInt(400);
            double level = 0.2 + random.nextDouble() * 3;
            for (int i = 0; i < pushes; i++) {
                if (random.nextInt(12) == 0) {
                    r.pushHour(
                            random.nextInt(40), random.nextInt(20) == 0 ? Double.NaN : level * 12);
                }
                int count = random.nextInt(10) == 0 ? 5 + random.nextInt(20) : random.nextInt(4);
                r.push(count, i < 3 && random.nextBoolean() ? Double.NaN : level);
            }
            for (int max : new int[] {Integer.MAX_VALUE, 3, 6, 12, 36, 300}) {
                Evaluation actual = SpikeTest.evaluate(r, S, max);
                assertThat(actual).as("round %d, max %d", round, max).isEqualTo(oracle(r, S, max));
                opened += actual.opens() ? 1 : 0;
            }
        }
        assertThat(opened).isGreaterThan(100);
    }

    /** {@link SpikeTest#evaluate(WindowRing, DetectorSettings, int)} summing window by window. */
    private static Evaluation oracle(WindowRing ring, DetectorSettings s, int maxBuckets) {
        double invR = ring.inverseDispersion;
        double r = invR <= 1e-9 ? Double.POSITIVE_INFINITY : 1.0 / invR;
        Evaluation best = null;
        Evaluation reference = null;
        boolean stays = false;
        for (int w : new int[] {3, 6, 12, 36, ring.dayBuckets()}) {
            if (w > maxBuckets) {
                continue;
            }
            double e = w > WindowRing.BUCKETS ? ring.expectedDay() : ring.expected(w);
            if (Double.isNaN(e)) {
                continue;
            }
            long x = w > WindowRing.BUCKETS ? ring.observedDay() : ring.observed(w);
            boolean plausible = x >= s.stayRatio() * e && x - e >= 1;
            double p = plausible ? CountTail.upperTail(x, Math.max(e, 1.0), r) : 1.0;
            boolean opens =
                    p <= s.pOpen()
                            && x >= s.minCount()
                            && x - e >= s.minExcess()
                            && x >= s.minRatio() * e;
            if ((w == 6 || w == 12) && p <= s.pStay() && x >= s.stayRatio() * e && x - e >= 1) {
                stays = true;
            }
            Evaluation ev = new Evaluation(w, x, e, p, opens, false);
            if (opens && (best == null || !best.opens() || p < best.pValue())) {
                best = ev;
            }
            if (w == 12) {
                reference = ev;
            }
        }
        if (best == null) {
            best = reference;
        }
        if (best == null) {
            return Evaluation.UNTESTABLE;
        }
        return new Evaluation(
                best.buckets(),
                best.observed(),
                best.expected(),
                best.pValue(),
                best.opens(),
                stays || (best.opens() && best.buckets() <= 12));
    }
}
