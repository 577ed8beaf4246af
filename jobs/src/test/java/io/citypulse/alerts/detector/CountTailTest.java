package io.citypulse.alerts.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.PascalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.junit.jupiter.api.Test;

class CountTailTest {

    @Test
    void poissonTailMatchesTheClosedFormForSmallCounts() {
        // P(X >= 3 | Poisson(1)) = 1 - e^-1 (1 + 1 + 1/2) = 1 - 2.5 / e
        assertThat(CountTail.upperTail(3, 1.0, Double.POSITIVE_INFINITY))
                .isCloseTo(1 - 2.5 / Math.E, within(1e-12));
        // P(X >= 1 | Poisson(2)) = 1 - e^-2
        assertThat(CountTail.upperTail(1, 2.0, Double.POSITIVE_INFINITY))
                .isCloseTo(1 - Math.exp(-2), within(1e-12));
    }

    @Test
    void geometricIsTheNegativeBinomialWithDispersionOne() {
        // r = 1: P(X = k) = (1 - q) q^k with q = mean / (1 + mean), so P(X >= x) = q^x.
        double mean = 4.0;
        double q = mean / (1 + mean);
        for (int x : new int[] {1, 5, 12, 30}) {
            assertThat(CountTail.upperTail(x, mean, 1.0)).isCloseTo(Math.pow(q, x), within(1e-12));
        }
    }

    @Test
    void overDispersionMakesTheSameExcessLessSurprising() {
        double poisson = CountTail.upperTail(25, 10, Double.POSITIVE_INFINITY);
        double overDispersed = CountTail.upperTail(25, 10, 5);
        assertThat(poisson).isLessThan(1e-4);
        assertThat(overDispersed).isGreaterThan(poisson * 10);
    }

    @Test
    void threeInsteadOfOneIsNotASpike() {
        assertThat(CountTail.upperTail(3, 1.0, Double.POSITIVE_INFINITY)).isGreaterThan(0.05);
    }

    @Test
    void edgeCases() {
        assertThat(CountTail.upperTail(0, 3, 2)).isEqualTo(1.0);
        assertThat(CountTail.upperTail(1, 0, 2)).isZero();
    }

    /**
     * Against Apache Commons Math's distributions over a grid of counts and means, in both
     * branches: Poisson, and the negative binomial with integer dispersions (Pascal(r, p) counts
     * the failures before the r-th success, as here with p = r / (r + mean)). Both compute the tail
     * as 1 - P(X < x), so they agree within 1e-12 plus a relative 1e-9, not on tiny tails. Means of
     * 900 and 3,000 take P(X = 0) below the smallest double and the terms past 10^200 of it.
     */
    @Test
    void matchesCommonsMathOverAGrid() {
        for (double mean : new double[] {0.3, 1, 2.5, 12, 60, 250, 900, 3000}) {
            PoissonDistribution poisson = new PoissonDistribution(null, mean, 1e-15, 10_000_000);
            for (int r : new int[] {1, 3, 20}) {
                PascalDistribution pascal = new PascalDistribution(null, r, r / (r + mean));
                for (long x = 1; x <= 3 * mean + 40; x += 1 + x / 7) {
                    assertClose(
                            CountTail.upperTail(x, mean, r),
                            1 - pascal.cumulativeProbability((int) x - 1));
                }
            }
            for (long x = 1; x <= 3 * mean + 40; x += 1 + x / 7) {
                assertClose(
                        CountTail.upperTail(x, mean, Double.POSITIVE_INFINITY),
                        1 - poisson.cumulativeProbability((int) x - 1));
            }
        }
    }

    private static void assertClose(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-12 + 1e-9 * expected));
    }
}
