package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenKeySet} against {@code java.util.HashSet} as the oracle: the same answers to every
 * add, remove and question, also when many keys share a hash (long probe runs that wrap round the
 * table's end, removals in the middle of them).
 */
class OpenKeySetTest {

    /** A key whose hash the test chooses, so that keys collide at will. */
    private record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.id == id;
        }
    }

    @Test
    void shouldAnswerLikeAHashSetOnRandomStrings() {
        Random random = new Random(7);
        OpenKeySet set = new OpenKeySet();
        Set<String> oracle = new HashSet<>();
        for (int step = 0; step < 200_000; step++) {
            // A fresh string each time, equal but not the same object, as a deserializer makes.
            String key = new String(("T-" + random.nextInt(5_000)).toCharArray());
            switch (random.nextInt(3)) {
                case 0 -> assertThat(set.add(key)).isEqualTo(oracle.add(key));
                case 1 -> assertThat(set.remove(key)).isEqualTo(oracle.remove(key));
                default -> assertThat(set.contains(key)).isEqualTo(oracle.contains(key));
            }
            assertThat(set.size()).isEqualTo(oracle.size());
        }
        for (int i = 0; i < 5_000; i++) {
            assertThat(set.contains("T-" + i)).isEqualTo(oracle.contains("T-" + i));
        }
    }

    @Test
    void shouldFindEveryKeyAfterRemovalsInsideRunsOfCollidingKeys() {
        // 8 keys at most: 16 places, the table never grows. Their home places (where a probe
        // starts) are the last three, so runs wrap round to the start, and several share one.
        List<Integer> hashesAtTheEnd = new ArrayList<>();
        for (int h = 0; hashesAtTheEnd.size() < 3; h++) {
            if ((OpenKeySet.hash(new Key(0, h)) & 15) == 13 + hashesAtTheEnd.size()) {
                hashesAtTheEnd.add(h);
            }
        }
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            OpenKeySet set = new OpenKeySet(8);
            Set<Key> oracle = new HashSet<>();
            List<Key> universe = new ArrayList<>();
            for (int id = 0; id < 8; id++) {
                universe.add(new Key(id, hashesAtTheEnd.get(random.nextInt(3))));
            }
            for (int step = 0; step < 400; step++) {
                Key key = universe.get(random.nextInt(universe.size()));
                if (random.nextInt(5) < 3) {
                    assertThat(set.add(key)).isEqualTo(oracle.add(key));
                } else {
                    assertThat(set.remove(key)).isEqualTo(oracle.remove(key));
                }
                assertThat(set.capacity()).isEqualTo(16);
                for (Key k : universe) {
                    assertThat(set.contains(k))
                            .as("seed %d step %d key %s", seed, step, k)
                            .isEqualTo(oracle.contains(k));
                }
            }
        }
    }

    @Test
    void shouldStayAtMostHalfFullAndKeepItsKeysWhenItGrows() {
        OpenKeySet set = new OpenKeySet(8);
        assertThat(set.capacity()).isEqualTo(16);
        for (int i = 0; i < 8; i++) {
            set.add("k" + i);
        }
        assertThat(set.capacity()).as("8 of 16: half full").isEqualTo(16);
        set.add("k8");
        assertThat(set.capacity()).isEqualTo(32);
        for (int i = 9; i < 1000; i++) {
            set.add("k" + i);
        }
        assertThat(set.size()).isEqualTo(1000);
        assertThat(set.capacity()).isEqualTo(2048);
        for (int i = 0; i < 1000; i++) {
            assertThat(set.contains("k" + i)).isTrue();
        }
        assertThat(set.contains("k1000")).isFalse();
    }
}
