package io.citypulse.alerts.detector;

/**
 * The detector's verdict on one series at one 5-minute step: the most unusual window's count,
 * expectation and score, and whether the series is elevated.
 *
 * @param buckets length of the reported window in 5-minute buckets (0 when nothing was testable)
 * @param observed count in that window
 * @param expected expected count in that window (NaN when not testable)
 * @param pValue P(X >= observed) under the expected level and its over-dispersion
 * @param opens the series is elevated enough to open an alert
 * @param stays the series is elevated enough to keep an open alert open (implied by opens)
 */
public record Evaluation(
        int buckets, long observed, double expected, double pValue, boolean opens, boolean stays) {

    public static final Evaluation UNTESTABLE = new Evaluation(0, 0, Double.NaN, 1.0, false, false);

    /** -log10 of the p-value, capped at 300. */
    public double score() {
        return Math.min(300, -Math.log10(Math.max(pValue, 1e-300)));
    }

    /** observed / expected, with expected floored at a tenth of an event. */
    public double ratio() {
        return Double.isNaN(expected) ? Double.NaN : observed / Math.max(expected, 0.1);
    }

    public boolean testable() {
        return buckets > 0;
    }
}
