package io.citypulse.alerts.detector;

import java.io.Serializable;

/**
 * The usual count of one key in one recurring slot (e.g. Tuesday 10:00-11:00), learned online and
 * robust to spikes: each observation is first clipped to {@code mean + clip * sd} of the current
 * estimate, then folded into exponentially weighted mean and variance. A surge therefore moves the
 * baseline only a little, and cannot make itself look normal — a surge must not poison its own
 * baseline.
 */
public final class SlotBaseline implements Serializable {

    private static final long serialVersionUID = 1L;

    private double mean;
    private double variance;
    private long samples;

    public double mean() {
        return mean;
    }

    public double variance() {
        return variance;
    }

    public long samples() {
        return samples;
    }

    /**
     * Learns one observation.
     *
     * @param alpha weight of the new observation (0..1]
     * @param clip how many standard deviations above the mean an observation counts at most
     */
    public void observe(double count, double alpha, double clip) {
        if (samples == 0) {
            mean = count;
            variance = Math.max(count, 1.0); // Poisson-like until there is spread to measure
            samples = 1;
            return;
        }
        double ceiling = mean + clip * Math.sqrt(Math.max(Math.max(variance, mean), 1.0));
        double x = Math.min(count, ceiling);
        double delta = x - mean;
        mean += alpha * delta;
        variance = (1 - alpha) * (variance + alpha * delta * delta);
        samples++;
    }

    /**
     * Negative binomial dispersion r matching the learned mean and variance (variance = mean +
     * mean² / r), or infinity (Poisson) when the variance does not exceed the mean.
     */
    public double dispersion() {
        double excess = variance - mean;
        if (excess <= 1e-9 || mean <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return mean * mean / excess;
    }
}
