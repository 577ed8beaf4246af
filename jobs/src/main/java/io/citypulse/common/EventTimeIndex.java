package io.citypulse.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * Event-time timers of a keyed operator kept on the heap: which keys are due at which time. For an
 * operator whose state says which timers each key has, so the index needs no snapshot of its own
 * (the operator registers them again on restore): it replaces Flink's timer queue, which on RocksDB
 * costs a write per timer set and a read, a delete and a key switch per timer fired.
 *
 * <p>Like Flink's timers, a (time, key) pair is held once however often it is registered, and a
 * time at or behind the watermark is due at the next watermark. An operator that knows a pair is
 * not held may {@link #append} it instead, without the check: where thousands of keys share a time
 * (a window's end), the check is a hash look-up in a large set for every timer set. A time whose
 * keys were appended is searched in a list by {@link #register}. Not thread-safe: only the task
 * thread may use it.
 *
 * <p>The pending times are a sorted tree. An index made with {@link #bucketed()} has two tiers:
 * times in a bucket the watermark has reached (buckets of 2<sup>22</sup> ms, about 70 minutes) are
 * in the tree, from which they fire; later times wait in a hash map of their bucket, moved into the
 * tree when a watermark reaches the bucket. For timers that are mostly moved long before they fire
 * (a clean-up 30 days after a ticket's last event, moved at every event): they are set and deleted
 * with a hash look-up instead of a search through a tree of every pending time. In a profile of the
 * hotspot job that search (about 18 levels of scattered nodes for 250,000 tickets per subtask) was
 * a fifth of the lifecycle gate's thread. Not for timers that mostly fire (deadlines, window ends):
 * each would be inserted twice, in its bucket's map and then in the tree, and on the year through
 * {@code sla}, whose deadlines mostly fire, it bought nothing and left more garbage. The times come
 * out in the same order either way.
 *
 * <p>An index made with {@link #bucketedInLists()} keeps its later times in a plain list per bucket
 * instead (a time and a key in two arrays, unsorted, no object per timer), moved into the tree when
 * a watermark reaches the bucket. For timers that mostly fire and are seldom deleted, which wait
 * long (the SLA state machine's resolution deadlines, expiries and releases, days to a month
 * ahead): in the tree each was an entry and a boxed time that outlived several young collections,
 * and its insert a search through a month of pending times, 14% of the state machine's thread on
 * the year. Registering or deleting a later time scans its bucket's list (about 70 minutes of
 * them), so a timer that moves at every event belongs in {@link #bucketed()}.
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
     * Each pending time with its key, or with a {@code HashSet} of its keys when it has several
     * ({@link KeyList} when they were appended). Most times of a per-entity deadline are held by
     * one key, and a set for each (about 180 bytes more) made the index the largest long-lived
     * structure on an SLA job's heap.
     */
    private final TreeMap<Long, Object> byTime = new TreeMap<>();

    /**
     * The times of the buckets no watermark has reached yet, by bucket, each as in {@link #byTime}
     * but unsorted. Every time here is later than every time in {@link #byTime}.
     */
    private final TreeMap<Long, HashMap<Long, Object>> later = new TreeMap<>();

    /**
     * {@link #later} by bucket in a hash map, for the look-ups: deleting a clean-up an event moves
     * looks up the bucket of the entity's previous event, anywhere in the last 30 days, and the
     * tree's search of some 600 buckets was about 8% of the lifecycle gate's thread on a replay of
     * a year. The tree keeps the buckets' order for {@link #pollDue}.
     */
    private final HashMap<Long, HashMap<Long, Object>> laterByBucket = new HashMap<>();

    /**
     * With {@link #bucketedInLists()}: the times of the buckets no watermark has reached yet, each
     * bucket's in a list, by bucket (instead of {@link #later}'s maps). Every time here is later
     * than every time in {@link #byTime}.
     */
    private final TreeMap<Long, TimeKeyList> laterLists = new TreeMap<>();

    /** {@link #laterLists} by bucket in a hash map, for the look-ups. */
    private final HashMap<Long, TimeKeyList> laterListsByBucket = new HashMap<>();

    /** Whether later times wait in {@link #laterLists} (else in {@link #later}). */
    private final boolean inLists;

    /**
     * Bucket of a time: {@code time >> bucketShift} (a floor division, also for negatives); {@link
     * #NO_BUCKETS}: every time goes to the tree.
     */
    private final int bucketShift;

    private static final int NO_BUCKETS = -1;

    /** The last bucket moved into {@link #byTime}; its times and earlier ones go there. */
    private long reached = Long.MIN_VALUE;

    /**
     * The bucket of the last look-up in {@link #later} and its map (null: none): consecutive
     * clean-ups mostly fall in one bucket (a fixed retention after events that come in time order),
     * so most look-ups skip the search of {@link #later}.
     */
    private long lastBucket;

    private HashMap<Long, Object> lastTimes;

    private int size;

    /** An index of one sorted tree, for timers that mostly fire. */
    public EventTimeIndex() {
        this.bucketShift = NO_BUCKETS;
        this.inLists = false;
    }

    /**
     * An index whose times beyond the watermark's bucket wait in buckets of 2<sup>22</sup> ms
     * (about 70 minutes), for timers that are mostly moved or deleted long before they fire.
     */
    public static <K> EventTimeIndex<K> bucketed() {
        return new EventTimeIndex<>(22);
    }

    /**
     * An index whose times beyond the watermark's bucket wait unsorted in a list per bucket of
     * 2<sup>22</sup> ms (about 70 minutes), for timers that mostly fire, long after they are set,
     * and are seldom deleted.
     */
    public static <K> EventTimeIndex<K> bucketedInLists() {
        return new EventTimeIndex<>(22, true);
    }

    /** An index whose later times wait in buckets (maps) of 2<sup>{@code bucketShift}</sup> ms. */
    EventTimeIndex(int bucketShift) {
        this(bucketShift, false);
    }

    /**
     * An index whose later times wait in buckets of 2<sup>{@code bucketShift}</sup> ms, each a list
     * ({@code inLists}) or a map.
     */
    EventTimeIndex(int bucketShift, boolean inLists) {
        if (bucketShift < 0 || bucketShift > 62) {
            throw new IllegalArgumentException("bucket shift out of 0..62: " + bucketShift);
        }
        this.bucketShift = bucketShift;
        this.inLists = inLists;
    }

    /** Whether {@code time} waits in a bucket's list. */
    private boolean waitsInList(long time) {
        return inLists && (time >> bucketShift) > reached;
    }

    /** The list of {@code time}'s bucket, made if {@code create}, else null when there is none. */
    private TimeKeyList list(long time, boolean create) {
        long bucket = time >> bucketShift;
        TimeKeyList list = laterListsByBucket.get(bucket);
        if (list == null && create) {
            list = new TimeKeyList();
            laterLists.put(bucket, list);
            laterListsByBucket.put(bucket, list);
        }
        return list;
    }

    /** Where the times of {@code time}'s bucket are held: the tree or the bucket's map. */
    private Map<Long, Object> holder(long time, boolean create) {
        if (bucketShift == NO_BUCKETS) {
            return byTime;
        }
        long bucket = time >> bucketShift;
        if (bucket <= reached) {
            return byTime;
        }
        if (lastTimes != null && bucket == lastBucket) {
            return lastTimes;
        }
        HashMap<Long, Object> times = laterByBucket.get(bucket);
        if (times == null && create) {
            times = new HashMap<>();
            later.put(bucket, times);
            laterByBucket.put(bucket, times);
        }
        if (times != null) {
            lastBucket = bucket;
            lastTimes = times;
        }
        return times;
    }

    public void register(long time, K key) {
        if (waitsInList(time)) {
            TimeKeyList list = list(time, true);
            if (list.indexOf(time, key) < 0) {
                list.add(time, key);
                size++;
            }
            return;
        }
        Map<Long, Object> times = holder(time, true);
        Object held = times.putIfAbsent(time, key);
        if (held == null) {
            size++;
        } else if (held instanceof KeySet<?> set) {
            if (keys(set).add(key)) {
                size++;
            }
        } else if (held instanceof KeyList<?> list) {
            if (!list.contains(key)) {
                keys(list).add(key);
                size++;
            }
        } else if (!held.equals(key)) {
            KeySet<K> set = new KeySet<>();
            set.add(keyOf(held));
            set.add(key);
            times.put(time, set);
            size++;
        }
    }

    /**
     * Adds a (time, key) pair that the caller knows is not held, without looking for it: a pair
     * appended twice fires twice. Cheaper than {@link #register} when many keys share a time.
     */
    public void append(long time, K key) {
        if (waitsInList(time)) {
            list(time, true).add(time, key);
        } else {
            appendTo(holder(time, true), time, key);
        }
        size++;
    }

    /** Adds a pair not held to {@code times} (the tree or a bucket's map). */
    private void appendTo(Map<Long, Object> times, long time, Object key) {
        Object held = times.putIfAbsent(time, key);
        if (held instanceof KeyList<?> list) {
            keys(list).add(keyOf(key));
        } else if (held instanceof KeySet<?> set) {
            keys(set).add(keyOf(key));
        } else if (held != null) {
            KeyList<K> list = new KeyList<>();
            list.add(keyOf(held));
            list.add(keyOf(key));
            times.put(time, list);
        }
    }

    public void delete(long time, K key) {
        if (waitsInList(time)) {
            TimeKeyList list = list(time, false);
            int at = list == null ? -1 : list.indexOf(time, key);
            if (at >= 0) {
                list.removeAt(at);
                size--;
                if (list.size == 0) {
                    laterLists.remove(time >> bucketShift);
                    laterListsByBucket.remove(time >> bucketShift);
                }
            }
            return;
        }
        Map<Long, Object> times = holder(time, false);
        Object held = times == null ? null : times.get(time);
        if (held == null) {
            return;
        }
        Collection<?> keys =
                held instanceof KeySet<?> set ? set : held instanceof KeyList<?> list ? list : null;
        if (keys != null) {
            if (keys.remove(key)) {
                size--;
                if (keys.isEmpty()) {
                    remove(times, time);
                }
            }
        } else if (held.equals(key)) {
            remove(times, time);
            size--;
        }
    }

    /** Removes a time that holds no key any more, and its bucket's map when that is empty. */
    private void remove(Map<Long, Object> times, long time) {
        times.remove(time);
        if (times != byTime && times.isEmpty()) {
            later.remove(time >> bucketShift);
            laterByBucket.remove(time >> bucketShift);
            if (times == lastTimes) {
                lastTimes = null;
            }
        }
    }

    /**
     * Removes and returns the earliest time at or before {@code watermark} with its keys, or null
     * when none is due. Call until null: timers registered while firing are due in the same pass
     * when they are not later than the watermark, as with Flink's timers.
     */
    public Map.Entry<Long, Collection<K>> pollDue(long watermark) {
        if (bucketShift != NO_BUCKETS && (watermark >> bucketShift) > reached) {
            // The watermark reached these buckets: their times go into the tree, to fire in order.
            long bucket = watermark >> bucketShift;
            Map.Entry<Long, HashMap<Long, Object>> next;
            while ((next = later.firstEntry()) != null && next.getKey() <= bucket) {
                later.pollFirstEntry();
                laterByBucket.remove(next.getKey());
                byTime.putAll(next.getValue());
            }
            Map.Entry<Long, TimeKeyList> nextList;
            while ((nextList = laterLists.firstEntry()) != null && nextList.getKey() <= bucket) {
                laterLists.pollFirstEntry();
                laterListsByBucket.remove(nextList.getKey());
                TimeKeyList list = nextList.getValue();
                // Each pair is held once, and only here: appended without a look-up.
                for (int i = 0; i < list.size; i++) {
                    appendTo(byTime, list.times[i], list.keys[i]);
                }
            }
            reached = bucket;
            lastTimes = null;
        }
        Map.Entry<Long, Object> first = byTime.firstEntry();
        if (first == null || first.getKey() > watermark) {
            return null;
        }
        byTime.pollFirstEntry();
        Collection<K> keys;
        if (first.getValue() instanceof KeySet<?> set) {
            keys = keys(set);
        } else if (first.getValue() instanceof KeyList<?> list) {
            keys = keys(list);
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
        fireDue(watermark, keys, Function.identity(), due);
    }

    /**
     * As {@link #fireDue(long, KeyContext, Due)}, for an index that holds something that stands for
     * the operator's key (a cache's {@link WriteBackCache.Handle}): {@code operatorKey} gives the
     * key to make current.
     */
    public void fireDue(
            long watermark, KeyContext keys, Function<? super K, ?> operatorKey, Due<K> due)
            throws Exception {
        fireDue(
                watermark,
                (time, key) -> {
                    keys.setCurrentKey(operatorKey.apply(key));
                    due.fire(time, key);
                });
    }

    /**
     * Fires every timer at or before {@code watermark}, in time order, leaving the current key to
     * {@code due}: for an operator that makes a key current only when it needs to.
     */
    public void fireDue(long watermark, Due<K> due) throws Exception {
        Map.Entry<Long, Collection<K>> next;
        while ((next = pollDue(watermark)) != null) {
            long time = next.getKey();
            for (K key : next.getValue()) {
                due.fire(time, key);
            }
        }
    }

    /** Forgets every pending timer; returns how many there were. */
    public int clear() {
        int dropped = size;
        byTime.clear();
        later.clear();
        laterByBucket.clear();
        laterLists.clear();
        laterListsByBucket.clear();
        lastTimes = null;
        size = 0;
        return dropped;
    }

    /** Pending (time, key) pairs. */
    public int size() {
        return size;
    }

    /** The (time, key) pairs of one bucket in {@link #laterLists}, unsorted: two arrays. */
    private static final class TimeKeyList {
        long[] times = new long[8];
        Object[] keys = new Object[8];
        int size;

        void add(long time, Object key) {
            if (size == times.length) {
                times = Arrays.copyOf(times, 2 * size);
                keys = Arrays.copyOf(keys, 2 * size);
            }
            times[size] = time;
            keys[size] = key;
            size++;
        }

        /** Where the pair is, or -1. */
        int indexOf(long time, Object key) {
            for (int i = 0; i < size; i++) {
                if (times[i] == time && key.equals(keys[i])) {
                    return i;
                }
            }
            return -1;
        }

        /** Removes the pair at {@code i}; the last one takes its place. */
        void removeAt(int i) {
            int last = --size;
            times[i] = times[last];
            keys[i] = keys[last];
            keys[last] = null;
        }
    }

    /** The set of a time held by several keys (its own class: a key may itself be a set). */
    private static final class KeySet<K> extends HashSet<K> {
        private static final long serialVersionUID = 1L;
    }

    /** The keys appended to a time (its own class, like {@link KeySet}). */
    private static final class KeyList<K> extends ArrayList<K> {
        private static final long serialVersionUID = 1L;
    }

    @SuppressWarnings("unchecked")
    private static <K> Set<K> keys(KeySet<?> set) {
        return (Set<K>) set;
    }

    @SuppressWarnings("unchecked")
    private static <K> java.util.List<K> keys(KeyList<?> list) {
        return (java.util.List<K>) list;
    }

    @SuppressWarnings("unchecked")
    private static <K> K keyOf(Object held) {
        return (K) held;
    }
}
