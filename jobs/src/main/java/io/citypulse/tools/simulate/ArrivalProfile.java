package io.citypulse.tools.simulate;

import java.util.Arrays;

/**
 * The shape of an arrival rate over the local day and week: multiply a long-run average rate by
 * {@link #factor} to get the rate at a given local time.
 *
 * <p>Hourly values are taken at the middle of each local hour and interpolated linearly (cyclically
 * over midnight), so the rate has no steps at hour boundaries that would show up in 5-minute
 * windows. Both the hourly and the weekday values are normalised to mean 1, so the configured rate
 * ({@code --tickets-per-hour}, {@code --leads-per-day}) stays the long-run average.
 */
final class ArrivalProfile {

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;

    private final double[] hourly;
    private final double[] weekday;
    private final double max;

    /**
     * @param hourly 24 relative rates, local hours 0..23
     * @param weekday 7 relative rates, Monday..Sunday
     */
    ArrivalProfile(double[] hourly, double[] weekday) {
        if (hourly.length != 24 || weekday.length != 7) {
            throw new IllegalArgumentException("need 24 hourly and 7 weekday values");
        }
        this.hourly = normalised(hourly);
        this.weekday = normalised(weekday);
        this.max =
                Arrays.stream(this.hourly).max().orElseThrow()
                        * Arrays.stream(this.weekday).max().orElseThrow();
    }

    private static double[] normalised(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        if (!(mean > 0) || Arrays.stream(values).anyMatch(v -> !(v >= 0))) {
            throw new IllegalArgumentException("profile values must be non-negative, not all 0");
        }
        return Arrays.stream(values).map(v -> v / mean).toArray();
    }

    /** A flat profile: the same rate at every hour of every day. */
    static ArrivalProfile flat() {
        double[] hours = new double[24];
        double[] days = new double[7];
        Arrays.fill(hours, 1);
        Arrays.fill(days, 1);
        return new ArrivalProfile(hours, days);
    }

    /**
     * Calls to a 12345 hotline: quiet from midnight to 6, a morning peak around 10, a lunch dip, an
     * afternoon peak around 15, then a slow evening decline; a little busier on Mondays, quieter at
     * weekends.
     */
    static ArrivalProfile hotline() {
        return new ArrivalProfile(
                new double[] {
                    0.35, 0.22, 0.15, 0.12, 0.12, 0.18, 0.35, 0.70, 1.20, 1.65, 1.80, 1.70, 1.30,
                    1.30, 1.65, 1.70, 1.60, 1.35, 1.05, 1.00, 0.95, 0.85, 0.70, 0.50
                },
                new double[] {1.10, 1.05, 1.03, 1.02, 1.00, 0.88, 0.92});
    }

    /**
     * Posts on internet platforms: a lunch bump and an evening peak (19-23), a night trough later
     * than the hotline's; slightly busier at weekends.
     */
    static ArrivalProfile online() {
        return new ArrivalProfile(
                new double[] {
                    0.80, 0.50, 0.30, 0.20, 0.15, 0.20, 0.35, 0.60, 0.85, 1.00, 1.05, 1.15, 1.35,
                    1.20, 1.05, 1.05, 1.10, 1.20, 1.30, 1.45, 1.60, 1.70, 1.55, 1.15
                },
                new double[] {0.97, 0.97, 0.97, 0.97, 1.00, 1.06, 1.06});
    }

    /**
     * Rate factor at an instant whose local time is {@code epochMs + offsetSeconds}.
     *
     * @param offsetSeconds the zone's offset from UTC at that instant
     */
    double factor(long epochMs, int offsetSeconds) {
        long localMs = epochMs + offsetSeconds * 1000L;
        long localDay = Math.floorDiv(localMs, DAY_MS);
        long msOfDay = Math.floorMod(localMs, DAY_MS);
        int dayOfWeek = (int) Math.floorMod(localDay + 3, 7); // 1970-01-01 was a Thursday; 0=Monday
        double position = (double) msOfDay / HOUR_MS - 0.5; // hourly values sit at hh:30
        int below = (int) Math.floor(position);
        double fraction = position - below;
        double low = hourly[Math.floorMod(below, 24)];
        double high = hourly[Math.floorMod(below + 1, 24)];
        return (low + (high - low) * fraction) * weekday[dayOfWeek];
    }

    /** An upper bound of {@link #factor} (used for thinning). */
    double maxFactor() {
        return max;
    }
}
