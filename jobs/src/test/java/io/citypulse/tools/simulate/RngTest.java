package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void isSplitMix64SoRunsReproduceOnAnyJdk() {
        // Published SplitMix64 output for seed 0: pinning it catches any change to the algorithm,
        // which would silently change every simulated city.
        Rng rng = new Rng(0);
        assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void derivedStreamsDependOnEveryPartAndItsOrder() {
        long a = Rng.derive(1, 2, 3).nextLong();
        assertThat(Rng.derive(1, 2, 3).nextLong()).isEqualTo(a);
        assertThat(Rng.derive(1, 2, 4).nextLong()).isNotEqualTo(a);
        assertThat(Rng.derive(2, 1, 3).nextLong()).isNotEqualTo(a);
        assertThat(Rng.derive(1, 2).nextLong()).isNotEqualTo(a);
    }

    @Test
    void distributionsHaveTheirDocumentedCentres() {
        Rng rng = new Rng(99);
        int n = 200_000;
        double[] logNormal = new double[n];
        double expSum = 0;
        double gaussSum = 0;
        double gaussSquares = 0;
        for (int i = 0; i < n; i++) {
            logNormal[i] = rng.logNormal(20, 0.8);
            expSum += rng.exponential(5);
            double g = rng.gaussian();
            gaussSum += g;
            gaussSquares += g * g;
        }
        Arrays.sort(logNormal);
        assertThat(logNormal[n / 2]).isCloseTo(20, within(0.3));
        assertThat(expSum / n).isCloseTo(5, within(0.05));
        assertThat(gaussSum / n).isCloseTo(0, within(0.01));
        assertThat(gaussSquares / n).isCloseTo(1, within(0.01));
        for (int i = 0; i < 1000; i++) {
            assertThat(rng.logNormalBelow(20, 0.8, 30)).isLessThan(30);
            assertThat(rng.nextInt(7)).isBetween(0, 6);
        }
    }

    @Test
    void weightedChoiceFollowsTheWeightsAndSkipsZeroWeights() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("a", 3.0);
        weights.put("never", 0.0);
        weights.put("b", 1.0);
        WeightedChoice<String> choice = WeightedChoice.of(weights);
        Rng rng = new Rng(5);
        int a = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            String picked = choice.pick(rng);
            assertThat(picked).isNotEqualTo("never");
            if (picked.equals("a")) {
                a++;
            }
        }
        assertThat((double) a / n).isCloseTo(0.75, within(0.01));
        assertThat(choice.probability("b")).isCloseTo(0.25, within(1e-12));
    }
}
