package io.citypulse.common;

import java.util.HashMap;

/**
 * One instance of each value of a low-cardinality string field (category codes, districts,
 * agencies, channels, topics) read over and over from a stream. A deserializer makes a new string
 * for every field of every record; where a record's strings stay on the heap for long (the SLA
 * state machine keeps every cached ticket's steps and intake attributes), each copy of "Brooklyn"
 * is another object for the garbage collector to copy and promote, and a look-up by a pooled key
 * finds its match by identity without comparing characters.
 *
 * <p>Bounded: the first {@code capacity} distinct values are pooled, later ones are returned as
 * they are (a field with far more distinct values than expected costs a look-up and nothing else).
 * Not thread-safe: one pool per deserializer instance, which Flink gives each task thread its own
 * of ({@code duplicate()}).
 */
public final class StringPool {

    private final int capacity;
    private final HashMap<String, String> pool;

    /** A pool of at most {@code capacity} distinct values. */
    public StringPool(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.pool = new HashMap<>(Math.min(capacity, 1024));
    }

    /** The pooled instance equal to {@code value}, else {@code value} itself (null stays null). */
    public String canonical(String value) {
        if (value == null) {
            return null;
        }
        String pooled = pool.get(value);
        if (pooled != null) {
            return pooled;
        }
        if (pool.size() < capacity) {
            pool.put(value, value);
        }
        return value;
    }

    /** Distinct values pooled. */
    public int size() {
        return pool.size();
    }
}
