package io.citypulse.alerts.detector;

/**
 * How surprising a count is: the upper tail probability P(X >= x) of a negative binomial with mean
 * {@code mean} and dispersion {@code r} (variance = mean + mean² / r). Counts of citizen requests
 * are over-dispersed — weather, news and weekdays move them more than Poisson noise — so a Poisson
 * test flags too much; as {@code r} grows the distribution tends to Poisson(mean).
 *
 * <p>Computed exactly by summing the probability mass below {@code x}, each term from the one
 * before by the ratio of consecutive probabilities (a multiplication and a division per term, where
 * a sum in log space paid an {@code exp} and a {@code log} or two: on a year's replay the tail sums
 * were a fifth of the spike detector's thread). The terms are kept relative to the first one, whose
 * logarithm is held apart: P(X = 0) = e<sup>-mean</sup> underflows a double for a mean above about
 * 745, and the terms are rescaled by 10<sup>-200</sup> whenever they grow past 10<sup>200</sup>, so
 * neither end leaves the double's range. Fast for the counts a window holds (thousands at most) and
 * stable for tiny tails.
 */
public final class CountTail {

    private static final double BIG = 1e200;
    private static final double LOG_BIG = Math.log(BIG);

    private CountTail() {}

    /** P(X >= x) for X ~ NegativeBinomial(mean, r); {@code r = +Infinity} is Poisson(mean). */
    public static double upperTail(long x, double mean, double r) {
        if (x <= 0) {
            return 1.0;
        }
        if (mean <= 0) {
            return 0.0; // nothing is expected, so any count is impossible under the model
        }
        // P(X < x) = e^scale * sum, each term P(X = k) / e^scale.
        double scale;
        double term = 1.0;
        double sum = 0.0;
        if (Double.isInfinite(r)) {
            scale = -mean; // log P(X = 0) for Poisson
            for (long k = 0; k < x; k++) {
                sum += term;
                term *= mean / (k + 1.0); // P(k+1) / P(k)
                if (term > BIG) {
                    term /= BIG;
                    sum /= BIG;
                    scale += LOG_BIG;
                }
            }
        } else {
            double p = r / (r + mean); // success probability in the (r, p) parametrisation
            double q = mean / (r + mean); // 1 - p, without the rounding of the subtraction
            scale = r * Math.log(p); // log P(X = 0)
            for (long k = 0; k < x; k++) {
                sum += term;
                term *= (k + r) / (k + 1.0) * q; // P(k+1) / P(k)
                if (term > BIG) {
                    term /= BIG;
                    sum /= BIG;
                    scale += LOG_BIG;
                }
            }
        }
        // The sum may exceed the double's range where e^scale underflows: multiply in log space.
        return Math.max(0.0, 1.0 - Math.exp(Math.log(sum) + scale));
    }
}
