package io.citypulse.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A bounded write-back cache in front of one keyed {@link ValueState}, for an operator that reads
 * and rewrites the same key's value many times between checkpoints.
 *
 * <ul>
 *   <li>{@link #value()} and {@link #update} work on the current key, like the state's own methods;
 *       a value read once stays on the heap until it is evicted.
 *   <li>Updates reach the state only when their key is evicted (to make room for a new key once
 *       {@code maxKeys} keys are cached) or at {@link #flush()}, which the operator calls before
 *       every checkpoint barrier: a snapshot always holds every update made before it.
 *   <li>Eviction gives a second chance (the CLOCK approximation of least recently used): the keys
 *       sit in a ring in the order they were cached; a hand goes round it, and a key used again
 *       since it was cached (or since the hand last passed it) loses that mark and stays, the first
 *       one without it goes. A hit only sets a flag, where an access-ordered {@code LinkedHashMap}
 *       relinks the entry between its neighbours: two more scattered memory writes per look-up,
 *       which cost about as much as the look-up itself in a cache of 200,000 keys.
 *   <li>A key's value is mutable and shared with the caller: {@link #update} marks it changed. The
 *       cache copies values it reads from the state and values it flushes to it, so a heap state
 *       backend never holds an object the caller goes on changing (its snapshots run
 *       asynchronously). On RocksDB, which serialises, the caller may pass no copy ({@link
 *       #serialisesValues}).
 * </ul>
 *
 * <p>On RocksDB every state read deserialises the value and every write serialises it again; for a
 * key that changes several times between checkpoints the cache replaces those with one write. A
 * state that holds its values encoded by hand (a {@code byte[]}) can be cached decoded ({@link
 * #decoding}): then the decoding and encoding happen once per key between checkpoints too. Not
 * thread-safe: only the task thread may use it.
 *
 * @param <S> the state's value type
 * @param <V> the type of the values on the heap (the same as {@code S} unless decoded)
 */
public final class WriteBackCache<S, V> {

    /**
     * Where a key's value sits in a cache, for an operator's own timers to hold instead of the key
     * itself ({@link #handle()}): when one fires, {@link #resume} finds the key's value without a
     * look-up in the cache's table, whose misses (then a hash map's table, its entry, the key's
     * characters) under firing timers alone were a sixth of the SLA state machine's thread in a
     * profile of the year. A handle stays valid while its key stays cached; once the key is evicted
     * or cleared it only names the key, and a look-up finds its value again. Two handles of one key
     * are equal, whatever their state, so a timer index that holds a (time, key) once holds a
     * (time, handle) once.
     */
    public static class Handle {
        final Object key;

        /** Where the slot sits in {@link #ring}; -1 once it left the cache (or never was in). */
        int position = -1;

        Handle(Object key) {
            this.key = key;
        }

        /** The key (the one object the cache holds it by, while it is cached). */
        public Object key() {
            return key;
        }

        @Override
        public boolean equals(Object other) {
            return this == other || (other instanceof Handle h && key.equals(h.key));
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public String toString() {
            return "handle of " + key;
        }
    }

    private static final class Slot<V> extends Handle {
        /** The key's spread hash ({@link OpenKeySet#hash}), where its look-up starts. */
        final int hash;

        V value;
        boolean dirty;

        /** Used again since it was cached or since the hand last passed it. */
        boolean used;

        Slot(Object key, int hash) {
            super(key);
            this.hash = hash;
        }
    }

    /**
     * The cached keys' slots by key: an open-addressing table (linear probing, deletion by shifting
     * the slots after the removed one back) of the slots themselves, each holding its key's hash,
     * kept at most half full. A look-up reads the table, the slot and its key (and the key's
     * characters); a {@code HashMap} reads a node of its own between the table and the slot, a
     * fourth scattered load of memory per look-up in a cache of a few hundred thousand keys, and
     * makes a node per key cached.
     */
    private static final class SlotTable<V> {
        private Slot<V>[] table = newSlots(16);
        private int size;

        @SuppressWarnings("unchecked")
        private static <V> Slot<V>[] newSlots(int length) {
            return (Slot<V>[]) new Slot<?>[length];
        }

        int size() {
            return size;
        }

        Slot<V> get(Object key, int hash) {
            int i = find(key, hash);
            return i < 0 ? null : table[i];
        }

        /** Where {@code key}'s slot is in the table, or -1. */
        private int find(Object key, int hash) {
            Slot<V>[] t = table;
            int mask = t.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                Slot<V> slot = t[i];
                if (slot == null) {
                    return -1;
                }
                if (slot.hash == hash && (slot.key == key || key.equals(slot.key))) {
                    return i;
                }
            }
        }

        /** Adds a slot whose key is not in the table. */
        void add(Slot<V> slot) {
            place(table, slot);
            if (++size * 2 > table.length) {
                Slot<V>[] old = table;
                table = newSlots(old.length * 2);
                for (Slot<V> held : old) {
                    if (held != null) {
                        place(table, held);
                    }
                }
            }
        }

        private static <V> void place(Slot<V>[] t, Slot<V> slot) {
            int mask = t.length - 1;
            int i = slot.hash & mask;
            while (t[i] != null) {
                i = (i + 1) & mask;
            }
            t[i] = slot;
        }

        /** Removes {@code key}'s slot and returns it, or null if the key is not cached. */
        Slot<V> remove(Object key, int hash) {
            int gap = find(key, hash);
            if (gap < 0) {
                return null;
            }
            Slot<V>[] t = table;
            int mask = t.length - 1;
            Slot<V> removed = t[gap];
            // Each slot after the gap, up to the next empty place, moves back into the gap unless
            // the gap lies before its home place (where its look-up starts), as in OpenKeySet.
            Slot<V> held;
            for (int j = (gap + 1) & mask; (held = t[j]) != null; j = (j + 1) & mask) {
                int home = held.hash & mask;
                if (((j - home) & mask) >= ((j - gap) & mask)) {
                    t[gap] = held;
                    gap = j;
                }
            }
            t[gap] = null;
            size--;
            return removed;
        }
    }

    private final KeyContext keys;
    private final ValueState<S> state;
    private final int maxKeys;
    private final Function<S, V> read;
    private final Function<V, S> kept;
    private final Function<V, S> evicted;
    private final SlotTable<V> slots = new SlotTable<>();

    /** The cached keys' slots in the order they were cached, {@link #size()} of them in front. */
    private Slot<V>[] ring;

    /** The next slot the eviction looks at. */
    private int hand;

    /**
     * The key object of the last look-up and its slot: an operator reads a key's value and then
     * updates it, and the second look-up (a hash of a long key and an equality check) is not
     * needed. Reset whenever a new key is cached, the only time a slot is evicted.
     */
    private Object lastKey;

    private Slot<V> lastSlot;

    /** The slot {@link #pin} fixed for every look-up until {@link #unpin}, or null. */
    private Slot<V> pinned;

    /**
     * The keys the state holds a value for, once the operator has said it tells the cache all of
     * them ({@link #knowStoredKeys}); else null, and every key not cached is read from the state.
     */
    private OpenKeySet stored;

    /**
     * A cache of the state's own values.
     *
     * @param keys the operator's key context (switched to write evicted keys back, then restored)
     * @param state the keyed state to cache
     * @param maxKeys how many keys' values stay on the heap, at least 1
     * @param copy a deep copy of a value
     */
    public static <V> WriteBackCache<V, V> copying(
            KeyContext keys, ValueState<V> state, int maxKeys, UnaryOperator<V> copy) {
        return new WriteBackCache<>(keys, state, maxKeys, copy, copy, UnaryOperator.identity());
    }

    /**
     * A cache of the state's own values.
     *
     * @param copy a deep copy of a value, as the state is to hold it (it is written with flushes)
     * @param evicted the value of an evicted key as the state is to hold it (no copy is needed:
     *     nothing changes it any more)
     */
    public static <V> WriteBackCache<V, V> copying(
            KeyContext keys,
            ValueState<V> state,
            int maxKeys,
            UnaryOperator<V> copy,
            UnaryOperator<V> evicted) {
        return new WriteBackCache<>(keys, state, maxKeys, copy, copy, evicted);
    }

    /**
     * A cache of decoded values of a state that holds them encoded.
     *
     * @param decode the value of what the state holds (a new object each time)
     * @param encode what the state is to hold for a value (sharing nothing with the value)
     */
    public static <S, V> WriteBackCache<S, V> decoding(
            KeyContext keys,
            ValueState<S> state,
            int maxKeys,
            Function<S, V> decode,
            Function<V, S> encode) {
        return new WriteBackCache<>(keys, state, maxKeys, decode, encode, encode);
    }

    /**
     * True when {@code keys} is an operator whose keyed state backend serialises every value it is
     * given at once and deserialises a new object for every read (RocksDB): then a value on the
     * heap never shares anything with what the state holds, and a cache of its values needs no
     * copies. False for any other backend (the heap's holds the objects themselves; a changelog
     * backend may wrap one), and for a key context that is not an operator.
     */
    public static boolean serialisesValues(KeyContext keys) {
        return keys instanceof AbstractStreamOperator<?> operator
                && operator.getKeyedStateBackend() instanceof RocksDBKeyedStateBackend<?>;
    }

    /**
     * {@code maxKeys} when it is a valid cache size (at least 1): the operators that build a cache
     * in {@code open()} check their size with it when the job is built, not when it starts.
     */
    public static int requireMaxKeys(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
        }
        return maxKeys;
    }

    private WriteBackCache(
            KeyContext keys,
            ValueState<S> state,
            int maxKeys,
            Function<S, V> read,
            Function<V, S> kept,
            Function<V, S> evicted) {
        requireMaxKeys(maxKeys);
        this.keys = keys;
        this.state = state;
        this.maxKeys = maxKeys;
        this.read = read;
        this.kept = kept;
        this.evicted = evicted;
        this.ring = newRing(Math.min(maxKeys, 1024));
    }

    @SuppressWarnings("unchecked")
    private static <V> Slot<V>[] newRing(int length) {
        return (Slot<V>[]) new Slot<?>[length];
    }

    /** The current key's value, null if it has none. */
    public V value() throws IOException {
        return slot().value;
    }

    /** Sets the current key's value; null removes it. */
    public void update(V value) throws IOException {
        Slot<V> slot = slot();
        slot.value = value;
        slot.dirty = true;
    }

    /**
     * Removes the current key's value without reading it first: the key leaves the heap, and the
     * state is cleared at once (a delete, no read) rather than at the next write-back.
     */
    public void clear() throws IOException {
        requireUnpinned();
        Object key = keys.getCurrentKey();
        int hash = OpenKeySet.hash(key);
        Slot<V> slot = slots.remove(key, hash);
        if (slot != null) {
            // the ring's last slot takes its place: the order round the ring changes a little
            int last = slots.size();
            Slot<V> moved = ring[last];
            ring[slot.position] = moved;
            moved.position = slot.position;
            ring[last] = null;
            if (hand >= last) {
                hand = 0;
            }
            leave(slot);
        }
        lastKey = null;
        lastSlot = null;
        if (stored == null || stored.remove(key, hash)) {
            state.clear(); // not when the state holds nothing for the key: a delete of nothing
        }
    }

    /** Writes every changed value to the state. */
    public void flush() throws IOException {
        requireUnpinned();
        Object current = keys.getCurrentKey();
        boolean switched = false;
        for (int i = 0, n = slots.size(); i < n; i++) {
            Slot<V> slot = ring[i];
            if (slot.dirty) {
                keys.setCurrentKey(slot.key);
                switched = true;
                write(slot, true);
            }
        }
        if (switched && current != null) {
            keys.setCurrentKey(current);
        }
    }

    /**
     * The current key's handle, for a timer of the operator's own to hold instead of the key (the
     * key is cached first if it is not). Unchecked, as timer services throw nothing: only the read
     * of a key not cached yet can fail, and the operators take a handle after reading the key.
     *
     * @throws UncheckedIOException if the state cannot be read
     */
    public Handle handle() {
        try {
            return slot();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A handle of {@code key} that holds no place in any cache (for timers set again on restore,
     * before their keys are cached): {@link #resume} then looks the key up.
     */
    public static Handle detached(Object key) {
        return new Handle(key);
    }

    /**
     * The operator has made {@code handle}'s key its current key (a timer that holds the handle
     * fires): if the key is still cached where the handle says, the next {@link #value()} and
     * {@link #update} use its slot without a look-up, and it counts as used again. Otherwise
     * nothing changes, and they look the key up.
     *
     * @param handle a handle of this cache's (or a detached one)
     */
    public void resume(Handle handle) {
        Slot<V> slot = cachedSlot(handle);
        if (slot != null) {
            lastKey = slot.key;
            lastSlot = slot;
        }
    }

    /**
     * From now on the cache keeps the set of keys the state holds a value for, and a key neither
     * cached nor in it is cached with no value, without reading the state (nor is it cleared there,
     * when it is cleared or updated to null). For operators whose keys mostly come new (a ticket's
     * first event): on RocksDB that read of nothing (a search of the memtable and of each level's
     * filter) was as costly as any other. The cache learns the keys it writes itself; the operator
     * must tell it, through {@link #stored}, every key the state holds already, from a scan of the
     * state on restore, before the first look-up. The set costs about 16 bytes per key on the heap,
     * besides the key itself (mostly held anyway, by a timer).
     *
     * @throws IllegalStateException if a key has been looked up already
     */
    public void knowStoredKeys() {
        if (lastKey != null || slots.size() > 0) {
            throw new IllegalStateException("the stored keys must be known before any look-up");
        }
        if (stored == null) {
            stored = new OpenKeySet(1024);
        }
    }

    /**
     * The state holds a value for {@code key} (told while scanning the state on restore, after
     * {@link #knowStoredKeys}).
     */
    public void stored(Object key) {
        if (stored == null) {
            throw new IllegalStateException("knowStoredKeys() first");
        }
        stored.add(key);
    }

    /**
     * Like {@link #resume}, for an operator that fires a timer of {@code handle}'s key without
     * making the key its current key (on RocksDB a key switch serialises the key, whether the state
     * is read or not: about a tenth of the counting thread in a profile of the year). If the key is
     * still cached where the handle says, every {@link #value()} and {@link #update} uses its slot,
     * whatever the current key, until {@link #unpin()}, it counts as used again, and this returns
     * true. Otherwise nothing changes and this returns false: the operator must make the key
     * current and {@link #resume} it. While a slot is pinned, nothing may {@link #clear} through
     * the cache or flush it.
     */
    public boolean pin(Handle handle) {
        pinned = cachedSlot(handle);
        return pinned != null;
    }

    /**
     * {@code handle}'s slot, counted as used again, if its key is still cached where the handle
     * says; else null.
     */
    @SuppressWarnings("unchecked")
    private Slot<V> cachedSlot(Handle handle) {
        int position = handle.position;
        if (position >= 0 && ring[position] == handle) {
            Slot<V> slot = (Slot<V>) handle;
            slot.used = true;
            return slot;
        }
        return null;
    }

    /** Look-ups follow the current key again ({@link #pin}). */
    public void unpin() {
        pinned = null;
    }

    /** Keys on the heap now. */
    public int size() {
        return slots.size();
    }

    private Slot<V> slot() throws IOException {
        if (pinned != null) {
            return pinned;
        }
        Object key = keys.getCurrentKey();
        if (key == lastKey && lastSlot != null) {
            return lastSlot;
        }
        int hash = OpenKeySet.hash(key);
        Slot<V> slot = slots.get(key, hash);
        if (slot != null) {
            slot.used = true;
        } else {
            slot = new Slot<>(key, hash);
            S held = stored == null || stored.contains(key, hash) ? state.value() : null;
            slot.value = held == null ? null : read.apply(held);
            int size = slots.size();
            if (size == maxKeys) {
                slot.position = evict(key);
            } else {
                if (size == ring.length) {
                    ring = Arrays.copyOf(ring, (int) Math.min(maxKeys, 2L * size));
                }
                slot.position = size;
            }
            ring[slot.position] = slot;
            slots.add(slot);
        }
        lastKey = key;
        lastSlot = slot;
        return slot;
    }

    private void requireUnpinned() {
        if (pinned != null) {
            throw new IllegalStateException("a slot is pinned: unpin() first");
        }
    }

    /**
     * Drops the first key round the ring from the hand that was not used since the hand last passed
     * it, writing back its change, and returns its position in the ring (the new key's).
     */
    private int evict(Object current) throws IOException {
        Slot<V> victim;
        while ((victim = ring[hand]).used) {
            victim.used = false;
            hand = hand + 1 == maxKeys ? 0 : hand + 1;
        }
        int position = hand;
        hand = hand + 1 == maxKeys ? 0 : hand + 1;
        slots.remove(victim.key, victim.hash);
        if (victim.dirty) {
            keys.setCurrentKey(victim.key);
            write(victim, false); // dropped here: nothing changes it any more
            keys.setCurrentKey(current);
        }
        leave(victim);
        return position;
    }

    /**
     * A slot leaves the cache: its handle, which timers may still hold, no longer points into the
     * ring, and it keeps no value alive.
     */
    private static void leave(Slot<?> slot) {
        slot.position = -1;
        slot.value = null;
    }

    private void write(Slot<V> slot, boolean stays) throws IOException {
        if (slot.value == null) {
            if (stored == null || stored.remove(slot.key, slot.hash)) {
                state.clear();
            }
        } else {
            state.update(stays ? kept.apply(slot.value) : evicted.apply(slot.value));
            if (stored != null) {
                stored.add(slot.key, slot.hash);
            }
        }
        slot.dirty = false;
    }
}
