package io.citypulse.alerts.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlotBaselineTest {

    @Test
    void learnsTheMeanOfAStableSlot() {
        SlotBaseline b = new SlotBaseline();
        for (int i = 0; i < 50; i++) {
            b.observe(i % 2 == 0 ? 8 : 12, 0.2, 3);
        }
        assertThat(b.mean()).isCloseTo(10, within(0.5));
        assertThat(b.samples()).isEqualTo(50);
    }

    @Test
    void aSurgeMovesTheBaselineOnlyUpToTheClip() {
        SlotBaseline b = new SlotBaseline();
        b.observe(10, 0.3, 3); // mean 10, variance 10 (Poisson-like start)
        // Hand-worked: ceiling = 10 + 3 * sqrt(10) = 19.4868; delta = 9.4868;
        // mean = 10 + 0.3 * 9.4868 = 12.8460 (a plain EWMA would give 10 + 0.3 * 90 = 37).
        b.observe(100, 0.3, 3);
        assertThat(b.mean()).isCloseTo(10 + 0.3 * 3 * Math.sqrt(10), within(1e-9));
    }

    @Test
    void dispersionIsInfiniteForPoissonLikeSlotsAndFiniteForNoisyOnes() {
        SlotBaseline calm = new SlotBaseline();
        calm.observe(5, 0.2, 3);
        assertThat(calm.dispersion()).isInfinite();

        SlotBaseline noisy = new SlotBaseline();
        for (int i = 0; i < 100; i++) {
            noisy.observe(i % 2 == 0 ? 2 : 18, 0.1, 10);
        }
        // Mean about 10, variance about 64: r = mean² / (variance - mean) is finite and small.
        assertThat(noisy.dispersion()).isBetween(0.5, 5.0);
    }
}
