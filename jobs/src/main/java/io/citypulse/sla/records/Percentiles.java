package io.citypulse.sla.records;

/**
 * Exact percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value
 * at rank ceil(p/100 * n), an observed value, never an interpolation. Integer arithmetic, so the
 * rank never depends on floating-point rounding.
 */
public final class Percentiles {

    private Percentiles() {}

    /**
     * The {@code percent}-th percentile of the first {@code n} values of {@code sorted}
     * (ascending), or null when {@code n} is 0.
     *
     * @param percent 1..100
     */
    public static Long nearestRank(long[] sorted, int n, int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be 1..100, got " + percent);
        }
        if (n == 0) {
            return null;
        }
        long rank = ((long) percent * n + 99) / 100; // ceil(percent * n / 100), 1-based
        return sorted[(int) Math.max(rank, 1) - 1];
    }
}
