package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

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
        int reads;

        /** Reads and clears of a key the state holds nothing for. */
        int emptyReads;

        int emptyClears;

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
            reads++;
            long[] value = stored.get(currentKey);
            if (value == null) {
                emptyReads++;
            }
            return value;
        }

        @Override
        public void update(long[] value) {
            writes.add(currentKey + "=" + value[0]);
            stored.put(currentKey, value);
        }

        @Override
        public void clear() {
            writes.add(currentKey + " cleared");
            if (stored.remove(currentKey) == null) {
                emptyClears++;
            }
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
    void shouldWriteBackAChangedKeyNotUsedAgainSinceItWasCachedWhenFull() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(2);
        state.setCurrentKey("a");
        cache.update(new long[] {1});
        state.setCurrentKey("b");
        cache.value(); // read only
        state.setCurrentKey("a");
        cache.value(); // a is used again, b is not
        state.setCurrentKey("c");
        cache.update(new long[] {3}); // evicts b: unchanged, so no write
        assertThat(state.writes).isEmpty();
        state.setCurrentKey("d");
        cache.update(new long[] {4}); // evicts a (its second chance went on c): written under a
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

    /**
     * Clearing a key removes it without reading it: one on the heap with unwritten changes is gone
     * (a flush writes nothing for it), one only in the state is deleted there with no read, and a
     * key read afterwards comes back empty from the state.
     */
    @Test
    void shouldClearAKeyWithoutReadingIt() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(10);
        state.setCurrentKey("stored");
        state.update(new long[] {7});
        state.setCurrentKey("cached");
        cache.update(new long[] {3});
        state.writes.clear();
        int readsBefore = state.reads;

        cache.clear(); // "cached": changed on the heap, never written
        state.setCurrentKey("stored");
        cache.clear(); // only in the state
        assertThat(state.reads).as("no reads").isEqualTo(readsBefore);
        assertThat(state.writes).containsExactly("cached cleared", "stored cleared");
        assertThat(cache.size()).isZero();

        cache.flush();
        assertThat(state.writes).as("nothing left to write back").hasSize(2);
        for (String key : List.of("cached", "stored")) {
            state.setCurrentKey(key);
            assertThat(cache.value()).as(key).isNull();
        }
    }

    /**
     * The second chance, worked by hand: keys go round a ring in the order they were cached; a key
     * used again since then is passed over once (losing its mark), and the first one not used goes.
     * Only an approximation of least recently used: the last step evicts a, used after b, where an
     * exact order would evict b.
     */
    @Test
    void shouldPassOverAKeyUsedAgainOnceThenEvictItInTurn() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(3);
        for (String key : List.of("a", "b", "c")) {
            state.setCurrentKey(key);
            cache.update(new long[] {key.charAt(0)});
        }
        for (String key : List.of("b", "a")) { // ring a* b* c, the hand at a
            state.setCurrentKey(key);
            cache.value();
        }
        state.setCurrentKey("d");
        cache.update(new long[] {'d'}); // passes a and b (marks cleared), evicts c: ring a b d
        assertThat(state.writes).containsExactly("c=" + (long) 'c');
        state.setCurrentKey("e");
        cache.update(new long[] {'e'}); // the hand is back at a, unmarked now: evicts a
        assertThat(state.writes).containsExactly("c=" + (long) 'c', "a=" + (long) 'a');
        state.setCurrentKey("f");
        cache.update(new long[] {'f'}); // then b
        assertThat(state.writes)
                .containsExactly("c=" + (long) 'c', "a=" + (long) 'a', "b=" + (long) 'b');
        assertThat(cache.size()).isEqualTo(3);
    }

    /**
     * A handle resumed while its key is cached counts as a use, as a look-up would: the hand passes
     * over that key once. A handle kept after its key left the cache (evicted, or cleared) finds
     * the key's value as it is now, never the value its slot held, and an update through it reaches
     * the state.
     */
    @Test
    void shouldResumeAHandleOnlyWhileItsKeyStaysCached() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(2);
        state.setCurrentKey("a");
        cache.update(new long[] {1});
        WriteBackCache.Handle a = cache.handle();
        state.setCurrentKey("b");
        cache.update(new long[] {2}); // ring a b, neither used again, the hand at a
        state.setCurrentKey(a.key());
        cache.resume(a); // a used again
        state.setCurrentKey("c");
        cache.update(new long[] {3}); // passes a, evicts b
        assertThat(state.writes).containsExactly("b=2");

        state.setCurrentKey("d");
        cache.update(new long[] {4}); // the hand is at a again, unmarked: evicts a
        assertThat(state.writes).containsExactly("b=2", "a=1");
        state.stored.put("a", new long[] {10}); // what the state holds for a now
        state.setCurrentKey(a.key());
        cache.resume(a);
        assertThat(cache.value()).containsExactly(10);
        cache.update(new long[] {11});
        cache.flush();
        assertThat(state.stored.get("a")).containsExactly(11);

        WriteBackCache.Handle again = cache.handle();
        assertThat(again).isNotSameAs(a).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(WriteBackCache.detached("a")).isEqualTo(a);
        assertThat(WriteBackCache.detached("b")).isNotEqualTo(a);
        cache.clear();
        state.stored.put("a", new long[] {20});
        cache.resume(again);
        assertThat(cache.value()).containsExactly(20);
    }

    /**
     * Whatever the order of reads, updates, clears and flushes, a key read through the cache has
     * the value last given to it (an oracle: a plain map of the last values), the cache never holds
     * more than its keys, and after a flush the state holds exactly the oracle's values. Small
     * caches evict on most look-ups; clears move keys round the ring. Some reads and updates go
     * through a handle taken at an earlier step (as a timer holding it fires), which by then may
     * have left the cache.
     */
    @Test
    void shouldAgreeWithAPlainMapOfLastValuesUnderRandomUse() throws Exception {
        int wasted = randomUse(false, n -> "k" + n);
        assertThat(wasted).as("without the stored keys, new keys are read").isPositive();
    }

    /**
     * The same, with a cache that knows the stored keys and is restored now and then (flushed, then
     * replaced by a new cache over the same state that is told every key the state holds, as the
     * operators do from a scan of the state): it never reads or clears a key the state does not
     * hold, and still agrees with the map.
     */
    @Test
    void shouldReadOnlyKeysTheStateHoldsOnceItKnowsThem() throws Exception {
        assertThat(randomUse(true, n -> "k" + n)).isZero();
    }

    /** A key whose hash is one of four: the cache's table probes past many other keys. */
    private record CollidingKey(int id) {
        @Override
        public int hashCode() {
            return id % 4;
        }
    }

    /**
     * The random use with keys that share four hashes: look-ups, evictions and clears in long runs
     * of colliding keys in the cache's table (and in its set of stored keys).
     */
    @Test
    void shouldAgreeWithAPlainMapWhenKeysCollide() throws Exception {
        randomUse(false, CollidingKey::new);
        assertThat(randomUse(true, CollidingKey::new)).isZero();
    }

    /**
     * The random use; returns how often a key the state held nothing for was read or cleared (a
     * read or a delete of nothing).
     */
    private static int randomUse(boolean knowStoredKeys, IntFunction<Object> keys)
            throws Exception {
        int wasted = 0;
        for (int maxKeys : new int[] {1, 2, 7, 50}) {
            HeapLikeState fresh = new HeapLikeState();
            WriteBackCache<long[], long[]> cache =
                    WriteBackCache.copying(fresh, fresh, maxKeys, long[]::clone);
            if (knowStoredKeys) {
                cache.knowStoredKeys();
            }
            Map<Object, Long> oracle = new HashMap<>();
            Map<Object, WriteBackCache.Handle> handles = new HashMap<>();
            java.util.Random random = new java.util.Random(7L * maxKeys);
            for (int step = 0; step < 20_000; step++) {
                Object key = keys.apply(random.nextInt(3 * maxKeys + 5));
                fresh.setCurrentKey(key);
                int action = random.nextInt(20);
                if (action < 8) {
                    long[] v = cache.value();
                    Long expected = oracle.get(key);
                    assertThat(v == null ? null : v[0])
                            .as("step %d, %s", step, key)
                            .isEqualTo(expected);
                } else if (action < 17 && random.nextInt(8) == 0) {
                    cache.update(null); // removed by an update, as the gate forgets an entity
                    oracle.remove(key);
                } else if (action < 17) {
                    long[] v = cache.value();
                    long next = (v == null ? 0 : v[0]) + step;
                    if (random.nextBoolean() && v != null) {
                        v[0] = next; // changed in place, as the counter does
                        cache.update(v);
                    } else {
                        cache.update(new long[] {next});
                    }
                    oracle.put(key, next);
                } else if (action < 18) {
                    cache.clear();
                    oracle.remove(key);
                } else if (action < 19) {
                    // a timer that held a handle of this key, taken some time ago, fires
                    WriteBackCache.Handle handle = handles.get(key);
                    if (handle != null) {
                        // Pinned if still cached (half the time), as the counter fires its
                        // timers: then another key stays current. Else made current and resumed.
                        boolean pinned = random.nextBoolean() && cache.pin(handle);
                        if (pinned) {
                            fresh.setCurrentKey(keys.apply(random.nextInt(3 * maxKeys + 5)));
                        } else {
                            fresh.setCurrentKey(handle.key());
                            cache.resume(handle);
                        }
                        long[] v = cache.value();
                        assertThat(v == null ? null : v[0])
                                .as("step %d, resumed %s", step, key)
                                .isEqualTo(oracle.get(key));
                        long next = step;
                        if (v != null) {
                            v[0] = next;
                            cache.update(v);
                        } else {
                            cache.update(new long[] {next});
                        }
                        oracle.put(key, next);
                        if (pinned) {
                            cache.unpin();
                            fresh.setCurrentKey(key);
                        }
                    }
                    handles.put(key, cache.handle());
                } else if (knowStoredKeys && random.nextInt(10) == 0) {
                    // a checkpoint, then a restore from it into a new cache
                    cache.flush();
                    cache = WriteBackCache.copying(fresh, fresh, maxKeys, long[]::clone);
                    cache.knowStoredKeys();
                    for (Object stored : fresh.stored.keySet()) {
                        cache.stored(stored);
                    }
                    handles.clear(); // the timers are set again, with new handles
                    fresh.setCurrentKey(key);
                } else {
                    cache.flush();
                    assertThat(fresh.currentKey).isEqualTo(key);
                }
                assertThat(cache.size()).isLessThanOrEqualTo(maxKeys);
            }
            cache.flush();
            Map<Object, Long> stored = new HashMap<>();
            fresh.stored.forEach((k, v) -> stored.put(k, v[0]));
            assertThat(stored).as("maxKeys %d", maxKeys).isEqualTo(oracle);
            wasted += fresh.emptyReads + fresh.emptyClears;
        }
        return wasted;
    }

    @Test
    void shouldUseAPinnedSlotWhateverTheCurrentKeyUntilUnpinned() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(2);
        state.setCurrentKey("a");
        cache.update(new long[] {1});
        WriteBackCache.Handle a = cache.handle();
        state.setCurrentKey("b");
        cache.update(new long[] {2});

        assertThat(cache.pin(a)).isTrue();
        assertThat(cache.value()).as("a's, though b is current").containsExactly(1);
        cache.update(new long[] {10});
        assertThatThrownBy(cache::flush).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(cache::clear).isInstanceOf(IllegalStateException.class);
        cache.unpin();
        assertThat(cache.value()).as("b's again").containsExactly(2);
        state.setCurrentKey("a");
        assertThat(cache.value()).containsExactly(10);

        // a was used again since cached (by the pin, then a read), b was not (a read right after
        // its own update is the same use): c evicts b, then d evicts a, its mark gone.
        state.setCurrentKey("c");
        cache.update(new long[] {3});
        assertThat(state.writes).containsExactly("b=2");
        state.setCurrentKey("d");
        cache.update(new long[] {4});
        assertThat(state.writes).containsExactly("b=2", "a=10");
        assertThat(cache.pin(a)).as("a left the cache").isFalse();
        assertThat(cache.value()).as("no slot pinned: d's").containsExactly(4);
    }

    @Test
    void shouldNotReadAKeyItWasNotToldTheStateHolds() throws Exception {
        state.stored.put("a", new long[] {7});
        state.stored.put("b", new long[] {8});
        WriteBackCache<long[], long[]> cache = cache(10);
        cache.knowStoredKeys();
        cache.stored("a");
        state.setCurrentKey("a");
        assertThat(cache.value()).containsExactly(7);
        state.setCurrentKey("b");
        assertThat(cache.value())
                .as("the operator must tell it every stored key: b was left out")
                .isNull();
        state.setCurrentKey("c");
        assertThat(cache.value()).isNull();
        assertThat(state.reads).as("only a was read").isEqualTo(1);
    }

    @Test
    void shouldRefuseToLearnTheStoredKeysAfterALookUp() throws Exception {
        WriteBackCache<long[], long[]> cache = cache(10);
        assertThatThrownBy(() -> cache.stored("a")).isInstanceOf(IllegalStateException.class);
        state.setCurrentKey("a");
        cache.value();
        assertThatThrownBy(cache::knowStoredKeys)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before any look-up");
    }
}
