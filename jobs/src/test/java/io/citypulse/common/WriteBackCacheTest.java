package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WriteBackCache} against a keyed value state that behaves like the heap backend (it stores
 * and returns the very objects it is given) and records every write, so each test can tell what
 * reached the state and under which key.
 */
class WriteBackCacheTest {

    /** A key context and a heap-like keyed value state in one. */
    private static final class HeapLikeState implements KeyContext, ValueState<long[]> {
        final Map<Object, long[]> stored = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        final List<Object> reads = new ArrayList<>();

        /**
         * Reads of a key when no key the state holds has its hash code: a tracking cache's waste.
         */
        int needlessReads;

        Object currentKey;

        @Override
        public void setCurrentKey(Object key) {
            currentKey = key;
        }

        @Override
        public Object getCurrentKey() {
            return currentKey;
        }

        @Override
        public long[] value() {
            reads.add(currentKey);
            if (stored.keySet().stream().noneMatch(k -> k.hashCode() == currentKey.hashCode())) {
                needlessReads++;
            }
            return stored.get(currentKey);
        }

        @Override
        public void update(long[] value) {
            writes.add(currentKey + "=" + value[0]);
            stored.put(currentKey, value);
        }

        @Override
        public void clear() {
            writes.add(currentKey + " cleared");
            stored.remove(currentKey);
        }
    }

    private final HeapLikeState state = new HeapLikeState();

    private WriteBackCache<long[], long[]> cache(int maxKeys) {
        return WriteBackCache.copying(state, state, maxKeys, long[]::clone);
    }

    @Test
    void shouldWriteNothingBeforeAFlushThenEachChangedKeyOnceUnderItsOwnKey() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(10);
        for (int i = 1; i <= 3; i++) {
            for (String key : List.of("a", "b")) {
                state.setCurrentKey(key);
                long[] v = cache.value();
                cache.update(new long[] {(v == null ? 0 : v[0]) + i});
            }
        }
        state.setCurrentKey("c");
        assertThat(cache.value()).isNull(); // read, never changed: nothing to write
        assertThat(state.writes).isEmpty();

        cache.flush();
        assertThat(state.writes).containsExactlyInAnyOrder("a=6", "b=6");
        assertThat(state.currentKey).as("the caller's key is restored").isEqualTo("c");

        cache.flush();
        assertThat(state.writes).as("nothing changed since").hasSize(2);
    }

    @Test
    void shouldWriteBackTheLeastRecentlyUsedChangedKeyWhenFull() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(2);
        state.setCurrentKey("a");
        cache.update(new long[] {1});
        state.setCurrentKey("b");
        cache.value(); // read only
        state.setCurrentKey("a");
        cache.value(); // a is now more recent than b
        state.setCurrentKey("c");
        cache.update(new long[] {3}); // evicts b: unchanged, so no write
        assertThat(state.writes).isEmpty();
        state.setCurrentKey("d");
        cache.update(new long[] {4}); // evicts a: changed, written under a
        assertThat(state.writes).containsExactly("a=1");
        assertThat(state.currentKey).isEqualTo("d");
        assertThat(cache.size()).isEqualTo(2);

        state.setCurrentKey("a"); // read again from the state
        assertThat(cache.value()).containsExactly(1);
    }

    @Test
    void shouldClearTheStateOfAKeyUpdatedToNull() throws Exception {
        state.stored.put("a", new long[] {7});
        WriteBackCache<long[], long[]> cache = cache(10);
        state.setCurrentKey("a");
        assertThat(cache.value()).containsExactly(7);
        cache.update(null);
        assertThat(cache.value()).isNull();
        cache.flush();
        assertThat(state.writes).containsExactly("a cleared");
        assertThat(state.stored).isEmpty();
    }

    /**
     * A heap backend's asynchronous snapshot may still be reading the object it holds, so the cache
     * must never change that object: it copies what it reads and what it flushes.
     */
    @Test
    void shouldNeverChangeAnObjectTheStateHolds() throws Exception {
        long[] held = {1};
        state.stored.put("a", held);
        WriteBackCache<long[], long[]> cache = cache(10);
        state.setCurrentKey("a");
        long[] v = cache.value();
        v[0] = 2; // the caller changes its value in place, as the counter does
        cache.update(v);
        assertThat(held).containsExactly(1);

        cache.flush();
        long[] flushed = state.stored.get("a");
        assertThat(flushed).containsExactly(2);
        cache.value()[0] = 3;
        assertThat(flushed).as("the flushed object stays as flushed").containsExactly(2);
    }

    @Test
    void shouldRejectACacheOfNoKeys() {
        assertThatThrownBy(() -> cache(0)).hasMessageContaining("maxKeys must be at least 1");
    }

    /**
     * A cache of decoded values ({@link WriteBackCache#decoding}): a key's stored value is decoded
     * once while it stays cached, changed in place by the caller, and encoded only when it is
     * written back (flush or eviction).
     */
    @Test
    void shouldDecodeOnceAndEncodeOnlyOnWriteBackWhenCachingDecodedValues() throws Exception {
        state.stored.put("a", new long[] {5});
        List<String> codec = new ArrayList<>();
        WriteBackCache<long[], StringBuilder> cache =
                WriteBackCache.decoding(
                        state,
                        state,
                        1,
                        stored -> {
                            codec.add("decode " + stored[0]);
                            return new StringBuilder().append(stored[0]);
                        },
                        value -> {
                            codec.add("encode " + value);
                            return new long[] {Long.parseLong(value.toString())};
                        });
        state.setCurrentKey("a");
        for (int i = 0; i < 3; i++) {
            StringBuilder v = cache.value();
            v.append('1'); // 5 -> 51 -> 511 -> 5111, changed in place
            cache.update(v);
        }
        assertThat(codec).containsExactly("decode 5");
        assertThat(state.writes).isEmpty();

        cache.flush();
        assertThat(state.writes).containsExactly("a=5111");
        state.setCurrentKey("b");
        cache.update(new StringBuilder("7")); // evicts a: unchanged since the flush, no write
        assertThat(state.writes).hasSize(1);
        state.setCurrentKey("a"); // evicts b: changed, encoded and written under b
        assertThat(cache.value().toString()).isEqualTo("5111");
        assertThat(state.writes).containsExactly("a=5111", "b=7");
        assertThat(codec).containsExactly("decode 5", "encode 5111", "decode 5111", "encode 7");
    }

    private WriteBackCache<long[], long[]> tracking(int maxKeys) {
        WriteBackCache<long[], long[]> cache = cache(maxKeys);
        cache.trackStoredKeys(List.copyOf(state.stored.keySet()).iterator());
        return cache;
    }

    @Test
    void shouldReadTheStateOnlyForKeysItMayHoldOnceTracking() throws Exception {
        state.stored.put("a", new long[] {1}); // restored
        WriteBackCache<long[], long[]> cache = tracking(1);
        assertThat(cache.storedKeys()).isEqualTo(1);
        state.setCurrentKey("new");
        assertThat(cache.value()).isNull();
        assertThat(state.reads).as("a key the state never held").isEmpty();
        cache.update(new long[] {2});
        state.setCurrentKey("a"); // evicts "new", written back: the state holds it now
        assertThat(cache.value()).containsExactly(1);
        assertThat(state.reads).containsExactly("a");
        assertThat(cache.storedKeys()).isEqualTo(2);

        cache.update(null);
        state.setCurrentKey("new"); // evicts "a": cleared
        assertThat(cache.value()).containsExactly(2);
        assertThat(state.reads).containsExactly("a", "new");
        assertThat(state.writes).containsExactly("new=2", "a cleared");
        state.setCurrentKey("a");
        assertThat(cache.value()).isNull();
        assertThat(state.reads).as("cleared, so known to be absent").hasSize(2);
        assertThat(cache.storedKeys()).isEqualTo(1);
    }

    @Test
    void shouldNeitherClearNorForgetAKeyForAnotherWithTheSameHash() throws Exception {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        state.stored.put("Aa", new long[] {1});
        WriteBackCache<long[], long[]> cache = tracking(1);
        state.setCurrentKey("BB");
        assertThat(cache.value()).as("read: its hash is held, by Aa").isNull();
        assertThat(state.reads).containsExactly("BB");
        cache.update(null); // "BB" was never held: nothing to clear
        state.setCurrentKey("Aa");
        assertThat(cache.value()).containsExactly(1);
        assertThat(state.writes).isEmpty();

        cache.update(new long[] {5});
        state.setCurrentKey("BB");
        cache.update(new long[] {6}); // evicts Aa (written)
        state.setCurrentKey("Aa"); // evicts BB (written): two keys, one hash
        cache.update(null);
        cache.flush(); // Aa cleared; BB must still be found
        state.setCurrentKey("BB");
        assertThat(cache.value()).containsExactly(6);
        assertThat(state.writes).containsExactly("Aa=5", "BB=6", "Aa cleared");
        assertThat(cache.storedKeys()).isEqualTo(1);
    }

    @Test
    void shouldTrackStoredKeysOnlyFromTheFirstLookUp() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(4);
        state.setCurrentKey("a");
        cache.value();
        assertThatThrownBy(() -> cache.trackStoredKeys(List.of().iterator()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(cache.storedKeys()).isEqualTo(-1);
    }

    /**
     * Random reads, updates, deletes, flushes and restores (a new cache seeded with the state's
     * keys; what was not written back is lost, as in a failover) over keys with colliding hash
     * codes: every read gives what a map of the current values says, and the state is read only for
     * a key whose hash code a key it holds has. Without tracking, the same run reads it in vain.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldAgreeWithAMapThroughRandomUse(boolean track) throws Exception {
        Random random = new Random(7);
        // "Aa" and "BB" collide, and so do all strings made of such pairs.
        String[] keys = {"AaAa", "AaBB", "BBAa", "BBBB", "x", "y", "z", "w", "v"};
        Map<Object, Long> current = new HashMap<>();
        WriteBackCache<long[], long[]> cache = track ? tracking(3) : cache(3);
        for (int step = 0; step < 20_000; step++) {
            String key = keys[random.nextInt(keys.length)];
            state.setCurrentKey(key);
            int op = random.nextInt(100);
            if (op < 40) {
                long[] v = cache.value();
                assertThat(v == null ? null : v[0])
                        .as("step %d key %s", step, key)
                        .isEqualTo(current.get(key));
            } else if (op < 70) {
                cache.update(new long[] {step});
                current.put(key, (long) step);
            } else if (op < 95) {
                cache.update(null);
                current.remove(key);
            } else if (op < 98) {
                cache.flush();
            } else {
                cache = track ? tracking(3) : cache(3);
                current.clear();
                state.stored.forEach((k, v) -> current.put(k, v[0]));
            }
        }
        assertThat(state.reads).hasSizeGreaterThan(100);
        if (track) {
            assertThat(state.needlessReads).isZero();
        } else {
            assertThat(state.needlessReads).isPositive();
        }
    }
}
