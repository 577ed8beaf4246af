package io.citypulse.tools.simulate;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;

/**
 * Arrival times of a non-homogeneous Poisson process, generated one hour at a time by thinning:
 * candidates arrive at the peak rate and each is kept with probability (rate now / peak rate).
 *
 * <p>The rate at an instant is the long-run average times the profile's factor for the local hour
 * and weekday times the holiday factor of the local day. Thinning gives exact Poisson arrivals for
 * such a rate with nothing but uniform and exponential draws, and costs O(arrivals) per hour, so it
 * scales to a megacity's rates.
 */
final class ArrivalProcess {

    private static final double HOUR_MS = 3_600_000.0;
    private static final long DAY_MS = 86_400_000L;
    private static final long STEP_MS = 60_000L;

    private final ArrivalProfile profile;
    private final ZoneRules zoneRules;
    private final Holidays holidays;
    private final double maxFactor;

    ArrivalProcess(ArrivalProfile profile, ZoneId zone) {
        this(profile, zone, Holidays.NONE);
    }

    ArrivalProcess(ArrivalProfile profile, ZoneId zone, Holidays holidays) {
        this.profile = profile;
        this.zoneRules = zone.getRules();
        this.holidays = holidays;
        this.maxFactor = profile.maxFactor() * holidays.maxFactor();
    }

    /**
     * The arrival times (epoch ms, non-decreasing) in [{@code fromMs}, {@code toMs}).
     *
     * @param averagePerHour long-run average arrivals per hour
     */
    long[] arrivals(Rng rng, long fromMs, long toMs, double averagePerHour) {
        if (averagePerHour <= 0 || toMs <= fromMs) {
            return new long[0];
        }
        long[] times = new long[16];
        int count = 0;
        double peakPerMs = averagePerHour * maxFactor / HOUR_MS;
        int offsetAtStart = offsetSeconds(fromMs);
        // Zone offsets change on (or near) hour boundaries; when the offset is the same at both
        // ends of the interval it is constant inside it and need not be looked up per candidate.
        boolean constantOffset = offsetAtStart == offsetSeconds(toMs - 1);
        double t = fromMs;
        while (true) {
            t += rng.exponential(1.0 / peakPerMs);
            if (t >= toMs) {
                return Arrays.copyOf(times, count);
            }
            long time = (long) t;
            int offset = constantOffset ? offsetAtStart : offsetSeconds(time);
            if (rng.nextDouble() * maxFactor < factor(time, offset)) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = time;
            }
        }
    }

    /**
     * The expected number of arrivals in [{@code fromMs}, {@code toMs}): the integral of the rate,
     * summed over one-minute steps (the rate is smooth, so this is exact to well under 0.1%).
     */
    double expectedArrivals(long fromMs, long toMs, double averagePerHour) {
        double sum = 0;
        for (long t = fromMs; t < toMs; t += STEP_MS) {
            long stepEnd = Math.min(toMs, t + STEP_MS);
            long middle = t + (stepEnd - t) / 2;
            sum += factor(middle, offsetSeconds(middle)) * (stepEnd - t);
        }
        return sum * averagePerHour / HOUR_MS;
    }

    private double factor(long epochMs, int offsetSeconds) {
        double f = profile.factor(epochMs, offsetSeconds);
        if (holidays.isEmpty()) {
            return f;
        }
        long localDay = Math.floorDiv(epochMs + offsetSeconds * 1000L, DAY_MS);
        return f * holidays.factor(localDay);
    }

    private int offsetSeconds(long epochMs) {
        return zoneRules.getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
    }
}
