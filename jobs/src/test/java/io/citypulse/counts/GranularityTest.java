package io.citypulse.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class GranularityTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void fiveMinuteWindowsAlignToTheClock() {
        long t = ms("2026-11-02T01:07:59.999Z");
        assertThat(Granularity.FIVE_MINUTES.start(t, SHANGHAI))
                .isEqualTo(ms("2026-11-02T01:05:00Z"));
        assertThat(Granularity.FIVE_MINUTES.end(ms("2026-11-02T01:05:00Z"), SHANGHAI))
                .isEqualTo(ms("2026-11-02T01:10:00Z"));
    }

    @Test
    void daysStartAtLocalMidnight() {
        // 2026-11-02 07:30 Shanghai is 2026-11-01T23:30Z: the local day started at 16:00Z before.
        long t = ms("2026-11-01T23:30:00Z");
        long start = Granularity.DAY.start(t, SHANGHAI);
        assertThat(start).isEqualTo(ms("2026-11-01T16:00:00Z"));
        assertThat(Granularity.DAY.end(start, SHANGHAI)).isEqualTo(ms("2026-11-02T16:00:00Z"));
    }

    @Test
    void hoursFollowHalfHourOffsets() {
        // Kolkata is UTC+05:30: local 10:00-11:00 is 04:30Z-05:30Z.
        long t = ms("2026-11-02T05:10:00Z");
        assertThat(Granularity.HOUR.start(t, KOLKATA)).isEqualTo(ms("2026-11-02T04:30:00Z"));
        assertThat(Granularity.HOUR.start(t, SHANGHAI)).isEqualTo(ms("2026-11-02T05:00:00Z"));
    }

    @Test
    void daylightSavingDaysHave23And25Hours() {
        long spring = Granularity.DAY.start(ms("2026-03-08T12:00:00Z"), NEW_YORK);
        long autumn = Granularity.DAY.start(ms("2026-11-01T12:00:00Z"), NEW_YORK);
        assertThat(Granularity.DAY.end(spring, NEW_YORK) - spring)
                .isEqualTo(Duration.ofHours(23).toMillis());
        assertThat(Granularity.DAY.end(autumn, NEW_YORK) - autumn)
                .isEqualTo(Duration.ofHours(25).toMillis());
        assertThat(spring).isEqualTo(ms("2026-03-08T05:00:00Z"));
    }
}
