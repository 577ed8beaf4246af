package io.citypulse.tools.simulate;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;

/**
 * Arrival times of a non-homogeneous Poisson process, generated one hour at a time by thinning:
 * candidates arrive at the peak rate and each is kept with probability (rate now / peak rate).
 *
 * <p>Thinning gives exact Poisson arrivals for a smoothly varying rate with nothing but uniform and
 * exponential draws, and costs O(arrivals) per hour, so it scales to a megacity's rates.
 */
final class ArrivalProcess {

    private static final double HOUR_MS = 3_600_000.0;

    private final ArrivalProfile profile;
    private final ZoneRules zoneRules;

    ArrivalProcess(ArrivalProfile profile, ZoneId zone) {
        this.profile = profile;
        this.zoneRules = zone.getRules();
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
        double peakPerMs = averagePerHour * profile.maxFactor() / HOUR_MS;
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
            if (rng.nextDouble() * profile.maxFactor() < profile.factor(time, offset)) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, count * 2);
                }
                times[count++] = time;
            }
        }
    }

    private int offsetSeconds(long epochMs) {
        return zoneRules.getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds();
    }
}
