package io.citypulse.common;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * Event-time timers of a keyed operator kept on the heap: which keys are due at which time. For an
 * operator whose state says which timers each key has, so the index needs no snapshot of its own
 * (the operator registers them again on restore): it replaces Flink's timer queue, which on RocksDB
 * costs a write per timer set and a read, a delete and a key switch per timer fired.
 *
 * <p>Like Flink's timers, a (time, key) pair is held once however often it is registered, and a
 * time at or behind the watermark is due at the next watermark. Not thread-safe: only the task
 * thread may use it.
 *
 * @param <K> the operator's key type
 */
public final class EventTimeIndex<K> {

    /** What a timer does when it fires, with its key already the operator's current key. */
    @FunctionalInterface
    public interface Due<K> {
        void fire(long time, K key) throws Exception;
    }

    /**
     * Each pending time with its key, or with a {@code HashSet} of its keys when it has several.
     * Most times of a per-entity deadline are held by one key, and a set for each (about 180 bytes
     * more) made the index the largest long-lived structure on an SLA job's heap.
     */
    private final TreeMap<Long, Object> byTime = new TreeMap<>();

    private int size;

    public void register(long time, K key) {
        Object held = byTime.putIfAbsent(time, key);
        if (held == null) {
            size++;
        } else if (held instanceof KeySet<?> set) {
            if (keys(set).add(key)) {
                size++;
            }
        } else if (!held.equals(key)) {
            KeySet<K> set = new KeySet<>();
            set.add(keyOf(held));
            set.add(key);
            byTime.put(time, set);
            size++;
        }
    }

    public void delete(long time, K key) {
        Object held = byTime.get(time);
        if (held == null) {
            return;
        }
        if (held instanceof KeySet<?> set) {
            if (set.remove(key)) {
                size--;
                if (set.isEmpty()) {
                    byTime.remove(time);
                }
            }
        } else if (held.equals(key)) {
            byTime.remove(time);
            size--;
        }
    }

    /**
     * Removes and returns the earliest time at or before {@code watermark} with its keys, or null
     * when none is due. Call until null: timers registered while firing are due in the same pass
     * when they are not later than the watermark, as with Flink's timers.
     */
    public Map.Entry<Long, Set<K>> pollDue(long watermark) {
        Map.Entry<Long, Object> first = byTime.firstEntry();
        if (first == null || first.getKey() > watermark) {
            return null;
        }
        byTime.pollFirstEntry();
        Set<K> keys;
        if (first.getValue() instanceof KeySet<?> set) {
            keys = keys(set);
        } else {
            K key = keyOf(first.getValue());
            keys = Set.of(key);
        }
        size -= keys.size();
        return Map.entry(first.getKey(), keys);
    }

    /**
     * Fires every timer at or before {@code watermark}, in time order: makes each key the current
     * key of {@code keys}, then calls {@code due}.
     */
    public void fireDue(long watermark, KeyContext keys, Due<K> due) throws Exception {
        Map.Entry<Long, Set<K>> next;
        while ((next = pollDue(watermark)) != null) {
            long time = next.getKey();
            for (K key : next.getValue()) {
                keys.setCurrentKey(key);
                due.fire(time, key);
            }
        }
    }

    /** Forgets every pending timer; returns how many there were. */
    public int clear() {
        int dropped = size;
        byTime.clear();
        size = 0;
        return dropped;
    }

    /** Pending (time, key) pairs. */
    public int size() {
        return size;
    }

    /** The set of a time held by several keys (its own class: a key may itself be a set). */
    private static final class KeySet<K> extends HashSet<K> {
        private static final long serialVersionUID = 1L;
    }

    @SuppressWarnings("unchecked")
    private static <K> Set<K> keys(KeySet<?> set) {
        return (Set<K>) set;
    }

    @SuppressWarnings("unchecked")
    private static <K> K keyOf(Object held) {
        return (K) held;
    }
}
