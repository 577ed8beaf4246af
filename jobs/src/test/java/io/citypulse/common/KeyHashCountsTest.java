package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link KeyHashCounts} against a {@code HashMap} of counts doing the same. */
class KeyHashCountsTest {

    @Test
    void shouldCountKeysPerHashAndForgetAHashOnlyWhenItsLastKeyGoes() {
        KeyHashCounts counts = new KeyHashCounts();
        int aa = "Aa".hashCode();
        assertThat("BB".hashCode()).as("two keys, one hash").isEqualTo(aa);
        assertThat(counts.mayHold(aa)).isFalse();
        counts.add(aa); // "Aa"
        counts.add(aa); // "BB"
        counts.remove(aa);
        assertThat(counts.mayHold(aa)).as("BB is still held").isTrue();
        counts.remove(aa);
        assertThat(counts.mayHold(aa)).isFalse();
        assertThat(counts.size()).isZero();
        assertThatThrownBy(() -> counts.remove(aa))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no key with hash");
    }

    /**
     * Random adds and removes over a small range of hashes (long probe runs, many deletions in the
     * middle of them) and a wide one (growth), checked at every step.
     */
    @ParameterizedTest
    @ValueSource(ints = {50, 3_000, Integer.MAX_VALUE})
    void shouldAgreeWithAMapOfCountsThroughRandomAddsAndRemoves(int range) {
        Random random = new Random(range);
        KeyHashCounts counts = new KeyHashCounts();
        Map<Integer, Integer> oracle = new HashMap<>();
        long total = 0;
        for (int step = 0; step < 200_000; step++) {
            int hash = range == Integer.MAX_VALUE ? random.nextInt() : random.nextInt(range) - 7;
            // Grow for the first half, then mostly shrink, so the table empties out again.
            boolean add = random.nextInt(100) < (step < 100_000 ? 65 : 35);
            if (add) {
                counts.add(hash);
                oracle.merge(hash, 1, Integer::sum);
                total++;
            } else if (oracle.containsKey(hash)) {
                counts.remove(hash);
                oracle.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
                total--;
            }
            int probe = range == Integer.MAX_VALUE ? random.nextInt() : random.nextInt(range) - 7;
            assertThat(counts.mayHold(probe))
                    .as("step %d, hash %d", step, probe)
                    .isEqualTo(oracle.containsKey(probe));
            assertThat(counts.mayHold(hash)).isEqualTo(oracle.containsKey(hash));
        }
        assertThat(counts.size()).isEqualTo(total);
        for (int hash : oracle.keySet()) {
            assertThat(counts.mayHold(hash)).isTrue();
        }
        assertThat(counts.capacity()).isGreaterThanOrEqualTo(2 * oracle.size());
    }
}
