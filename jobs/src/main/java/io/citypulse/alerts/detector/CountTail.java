package io.citypulse.alerts.detector;

/**
 * How surprising a count is: the upper tail probability P(X >= x) of a negative binomial with mean
 * {@code mean} and dispersion {@code r} (variance = mean + mean² / r). Counts of citizen requests
 * are over-dispersed — weather, news and weekdays move them more than Poisson noise — so a Poisson
 * test flags too much; as {@code r} grows the distribution tends to Poisson(mean).
 *
 * <p>Computed exactly by summing the probability mass below {@code x} in log space, which is fast
 * for the counts a window holds (thousands at most) and stable for tiny tails.
 */
public final class CountTail {

    private CountTail() {}

    /** P(X >= x) for X ~ NegativeBinomial(mean, r); {@code r = +Infinity} is Poisson(mean). */
    public static double upperTail(long x, double mean, double r) {
        if (x <= 0) {
            return 1.0;
        }
        if (mean <= 0) {
            return 0.0; // nothing is expected, so any count is impossible under the model
        }
        double below = 0.0; // P(X < x), summed from k = 0
        double logPmf;
        if (Double.isInfinite(r)) {
            logPmf = -mean; // log P(X = 0) for Poisson
            double logMean = Math.log(mean); // once, not per term: the same value each time
            for (long k = 0; k < x; k++) {
                below += Math.exp(logPmf);
                logPmf += logMean - Math.log(k + 1.0);
            }
        } else {
            double p = r / (r + mean); // success probability in the (r, p) parametrisation
            logPmf = r * Math.log(p); // log P(X = 0)
            double logQ = Math.log1p(-p); // once, not per term: the same value each time
            for (long k = 0; k < x; k++) {
                below += Math.exp(logPmf);
                // P(k+1) / P(k) = (k + r) / (k + 1) * (1 - p)
                logPmf += Math.log(k + r) - Math.log(k + 1.0) + logQ;
            }
        }
        return Math.max(0.0, 1.0 - below);
    }
}
