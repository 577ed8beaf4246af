package io.citypulse.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WindowClock} keeps the last day's bounds; {@link Granularity}, which looks everything up
 * in the zone's rules every time, is the oracle. Instants come in runs within a day (as a counter
 * sees them), jump between days and back, and cluster around the zone's offset changes (daylight
 * saving, half-hour shifts, Shanghai's changes of 1986-1991).
 */
class WindowClockTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Asia/Shanghai",
                "Asia/Kolkata",
                "America/New_York",
                "Australia/Lord_Howe",
                "America/Havana",
                "Pacific/Apia",
                "UTC"
            })
    void shouldGiveTheSameBoundsAsTheZonesRules(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        WindowClock clock = new WindowClock(zone);
        Random random = new Random(zoneId.hashCode());
        long from = Instant.parse("1986-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
        int checked = 0;
        long t = from;
        for (int i = 0; i < 200_000; i++) {
            int step = random.nextInt(10);
            if (step == 0) {
                t = from + (long) (random.nextDouble() * (to - from));
            } else if (step == 1) {
                // Near an offset change, from either side.
                var next = zone.getRules().nextTransition(Instant.ofEpochMilli(t));
                if (next != null) {
                    t = next.toEpochSecond() * 1000L + (random.nextInt(7_200_000) - 3_600_000);
                }
            } else if (step == 2) {
                t -= random.nextInt(90_000_000); // back up to a day
            } else {
                t += random.nextInt(400_000);
            }
            for (Granularity g : Granularity.values()) {
                long start = g.start(t, zone);
                assertThat(clock.start(g, t))
                        .as("%s start of %d in %s", g, t, zoneId)
                        .isEqualTo(start);
                assertThat(clock.end(g, start))
                        .as("%s end of %d in %s", g, start, zoneId)
                        .isEqualTo(g.end(start, zone));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(600_000);
    }
}
