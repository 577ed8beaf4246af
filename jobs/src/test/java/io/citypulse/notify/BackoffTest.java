package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void shouldDoubleTheCeilingUpToTheCap() {
        assertThat(backoff.ceilingMillis(0)).isEqualTo(1_000);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(2_000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(32_000);
        assertThat(backoff.ceilingMillis(8)).isEqualTo(256_000);
        assertThat(backoff.ceilingMillis(9)).isEqualTo(300_000);
        assertThat(backoff.ceilingMillis(63)).isEqualTo(300_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(300_000);
    }

    @Test
    void shouldJitterWithinZeroAndTheCeiling() {
        Random random = new Random(1);
        for (int retry = 0; retry < 20; retry++) {
            long ceiling = Math.min(300_000L, 1_000L << Math.min(retry, 30));
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long d = backoff.delayMillis(retry, -1, random::nextDouble);
                assertThat(d).isBetween(0L, ceiling);
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            // Full jitter: the whole range is used, not just the top.
            assertThat(min).as("retry %d", retry).isLessThan(ceiling / 10);
            assertThat(max).as("retry %d", retry).isGreaterThan(ceiling * 9 / 10);
        }
    }

    @Test
    void shouldReachBothEndsOfTheRange() {
        assertThat(backoff.delayMillis(2, -1, () -> 0.0)).isZero();
        assertThat(backoff.delayMillis(2, -1, () -> 0.9999999999)).isEqualTo(4_000);
    }

    @Test
    void shouldWaitAtLeastRetryAfterButNotBeyondTheCap() {
        assertThat(backoff.delayMillis(0, 3_000, () -> 0.0)).isEqualTo(3_000);
        assertThat(backoff.delayMillis(0, 3_000, () -> 0.9999999999)).isEqualTo(3_000);
        assertThat(backoff.delayMillis(9, 3_000, () -> 0.9999999999)).isEqualTo(300_000);
        assertThat(backoff.delayMillis(0, 3_600_000, () -> 0.5)).isEqualTo(300_000);
    }
}
