package io.citypulse.bench;

import io.citypulse.common.WriteBackCache;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The write-back cache the gate, the counters and {@code sla}'s state machine keep in front of
 * RocksDB ({@link WriteBackCache}, second-chance eviction), against the structure it replaced as
 * the baseline: an access-ordered {@code LinkedHashMap} of the same slots, least recently used
 * evicted ({@code lru-map}). Both sit in front of a plain heap map standing in for the state, so
 * the numbers are the cache's own cost: the look-up, the bookkeeping of a hit, eviction with its
 * write-back, and a flush every {@link #FLUSH_EVERY} invocations (a checkpoint).
 *
 * <p>The keys are ticket ids ({@code "t-" + n}, a new {@code String} per access, as a decoder
 * builds them). Each ticket is used at {@link #LAG} tickets after its creation (six events: three
 * soon, then days later), one ticket created per six accesses, so about 180,000 tickets are live: a
 * cache of 200,000 holds them all, one of 50,000 misses the late events. One operation = one event:
 * the key's value read, changed and updated; at the ticket's last event it is cleared instead
 * (released, as {@code sla} and the gate do), so the state stays bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheBenchmark {

    static final int BATCH = 1000;

    /** Invocations between flushes: 160,000 events. */
    static final int FLUSH_EVERY = 160;

    /** Where each event of a ticket comes, in tickets after its creation. */
    private static final int[] LAG = {0, 20, 400, 30_000, 90_000, 180_000};

    @Param({"second-chance", "lru-map"})
    public String cache;

    @Param({"50000", "200000"})
    public int keys;

    private HeapState state;
    private Cache values;
    private long position;
    private int step;
    private int invocations;

    /** What both caches offer the benchmark. */
    private interface Cache {
        long[] value() throws IOException;

        void update(long[] value) throws IOException;

        void flush() throws IOException;

        void clear() throws IOException;
    }

    /** A key context and a keyed value state on a plain heap map (no copies, no serialisation). */
    private static final class HeapState implements KeyContext, ValueState<long[]> {
        final HashMap<Object, long[]> stored = new HashMap<>();
        Object key;

        @Override
        public void setCurrentKey(Object key) {
            this.key = key;
        }

        @Override
        public Object getCurrentKey() {
            return key;
        }

        @Override
        public long[] value() {
            return stored.get(key);
        }

        @Override
        public void update(long[] value) {
            stored.put(key, value);
        }

        @Override
        public void clear() {
            stored.remove(key);
        }
    }

    /** The baseline: least recently used first, through an access-ordered LinkedHashMap. */
    private static final class LruMap implements Cache {
        private static final class Slot {
            long[] value;
            boolean dirty;
        }

        private final HeapState state;
        private final int maxKeys;
        private final LinkedHashMap<Object, Slot> slots = new LinkedHashMap<>(1024, 0.75f, true);

        LruMap(HeapState state, int maxKeys) {
            this.state = state;
            this.maxKeys = maxKeys;
        }

        private Slot slot() {
            Object key = state.getCurrentKey();
            Slot slot = slots.get(key);
            if (slot == null) {
                slot = new Slot();
                long[] stored = state.value();
                slot.value = stored == null ? null : stored.clone();
                slots.put(key, slot);
                if (slots.size() > maxKeys) {
                    Iterator<Map.Entry<Object, Slot>> oldest = slots.entrySet().iterator();
                    Map.Entry<Object, Slot> e = oldest.next();
                    if (e.getValue().dirty) {
                        state.setCurrentKey(e.getKey());
                        state.update(e.getValue().value);
                        state.setCurrentKey(key);
                    }
                    oldest.remove();
                }
            }
            return slot;
        }

        @Override
        public long[] value() {
            return slot().value;
        }

        @Override
        public void update(long[] value) {
            Slot slot = slot();
            slot.value = value;
            slot.dirty = true;
        }

        @Override
        public void clear() {
            slots.remove(state.getCurrentKey());
            state.clear();
        }

        @Override
        public void flush() {
            Object current = state.getCurrentKey();
            for (Map.Entry<Object, Slot> e : slots.entrySet()) {
                if (e.getValue().dirty) {
                    state.setCurrentKey(e.getKey());
                    state.update(e.getValue().value.clone());
                    e.getValue().dirty = false;
                }
            }
            state.setCurrentKey(current);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        state = new HeapState();
        if (cache.equals("lru-map")) {
            values = new LruMap(state, keys);
        } else {
            WriteBackCache<long[], long[]> c =
                    WriteBackCache.copying(state, state, keys, long[]::clone);
            values =
                    new Cache() {
                        @Override
                        public long[] value() throws IOException {
                            return c.value();
                        }

                        @Override
                        public void update(long[] value) throws IOException {
                            c.update(value);
                        }

                        @Override
                        public void flush() throws IOException {
                            c.flush();
                        }

                        @Override
                        public void clear() throws IOException {
                            c.clear();
                        }
                    };
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long event() throws IOException {
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            long ticket;
            do {
                if (step == LAG.length) {
                    step = 0;
                    position++;
                }
                ticket = position - LAG[step++];
            } while (ticket < 0);
            state.setCurrentKey("t-" + ticket);
            long[] v = values.value();
            if (v == null) {
                v = new long[2];
            }
            v[0]++;
            sum += v[0];
            if (step == LAG.length) {
                values.clear(); // the ticket's last event: released, as sla and the gate do
            } else {
                values.update(v);
            }
        }
        if (++invocations % FLUSH_EVERY == 0) {
            values.flush();
        }
        return sum;
    }
}
