package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalProcessTest {

    private static final long HOUR_MS = 3_600_000L;

    @Test
    void profilesAverageToOneOverAWeekSoTheRateIsTheLongRunAverage() {
        for (ArrivalProfile profile :
                List.of(ArrivalProfile.hotline(), ArrivalProfile.online(), ArrivalProfile.flat())) {
            double sum = 0;
            int steps = 7 * 24 * 60;
            for (int minute = 0; minute < steps; minute++) {
                sum += profile.factor(minute * 60_000L, 0);
            }
            assertThat(sum / steps).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void hotlineIsQuietAtNightAndBusyInTheMorning() {
        ArrivalProfile hotline = ArrivalProfile.hotline();
        int shanghai = 8 * 3600;
        long monday = 4 * 24 * HOUR_MS - shanghai * 1000L; // 1970-01-05 00:00 +08:00, a Monday
        assertThat(hotline.factor(monday + 10 * HOUR_MS, shanghai))
                .isGreaterThan(8 * hotline.factor(monday + 3 * HOUR_MS, shanghai));
    }

    @Test
    void arrivalsArePoissonWithTheRequestedRateInsideTheInterval() {
        ArrivalProcess process = new ArrivalProcess(ArrivalProfile.flat(), ZoneId.of("UTC"));
        Rng rng = new Rng(17);
        long total = 0;
        int hours = 2000;
        for (int h = 0; h < hours; h++) {
            long from = h * HOUR_MS;
            long[] times = process.arrivals(rng, from, from + HOUR_MS, 50);
            assertThat(times).isSorted();
            assertThat(Arrays.stream(times)).allMatch(t -> t >= from && t < from + HOUR_MS);
            total += times.length;
        }
        // 100,000 expected; Poisson standard deviation ~316.
        assertThat(total).isBetween(98_700L, 101_300L);
    }
}
