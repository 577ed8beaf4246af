package io.citypulse.common;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of keys in one open-addressing table (linear probing, deletion by shifting the entries
 * after the removed one back): two arrays, the keys' spread hashes and the keys, and no object per
 * key. For a large, long-lived set that is mostly asked about keys it does not hold: such a
 * question reads the hashes' array alone until an empty place, where a {@code HashSet} reads its
 * table and then a node per key in the bucket, and keeps a node per key in the old generation.
 *
 * <p>Kept at most half full; it grows but never shrinks. Null keys are refused. Not thread-safe.
 */
final class OpenKeySet {

    /** The spread hash of the key in each place; 0: the place is empty. */
    private int[] hashes;

    private Object[] keys;

    private int size;

    OpenKeySet() {
        this(16);
    }

    /** A set with room for {@code expected} keys before it grows. */
    OpenKeySet(int expected) {
        int places = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) * 2;
        hashes = new int[places];
        keys = new Object[places];
    }

    /** The key's hash, spread over all 32 bits (the table's index is its low bits), never 0. */
    static int hash(Object key) {
        int h = key.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    boolean contains(Object key) {
        return contains(key, hash(key));
    }

    /** {@link #contains(Object)} for a key whose {@link #hash} the caller has already. */
    boolean contains(Object key, int hash) {
        return find(key, hash) >= 0;
    }

    /** Adds {@code key}; false if it was there already. */
    boolean add(Object key) {
        return add(key, hash(Objects.requireNonNull(key, "key")));
    }

    /** {@link #add(Object)} for a key whose {@link #hash} the caller has already. */
    boolean add(Object key, int h) {
        int mask = hashes.length - 1;
        int i = h & mask;
        for (int held; (held = hashes[i]) != 0; i = (i + 1) & mask) {
            if (held == h && key.equals(keys[i])) {
                return false;
            }
        }
        hashes[i] = h;
        keys[i] = key;
        if (++size * 2 > hashes.length) {
            grow();
        }
        return true;
    }

    /** Removes {@code key}; false if it was not there. */
    boolean remove(Object key) {
        return remove(key, hash(key));
    }

    /** {@link #remove(Object)} for a key whose {@link #hash} the caller has already. */
    boolean remove(Object key, int hash) {
        int gap = find(key, hash);
        if (gap < 0) {
            return false;
        }
        // Each entry after the gap, up to the next empty place, moves back into the gap unless the
        // gap lies before its own home place (where its probe starts): a probe for it would then
        // stop at the gap's place, emptied, before reaching it.
        int mask = hashes.length - 1;
        for (int j = (gap + 1) & mask, held; (held = hashes[j]) != 0; j = (j + 1) & mask) {
            int home = held & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                hashes[gap] = held;
                keys[gap] = keys[j];
                gap = j;
            }
        }
        hashes[gap] = 0;
        keys[gap] = null;
        size--;
        return true;
    }

    int size() {
        return size;
    }

    /** Places in the table (for tests). */
    int capacity() {
        return hashes.length;
    }

    private int find(Object key, int h) {
        int mask = hashes.length - 1;
        for (int i = h & mask, held; (held = hashes[i]) != 0; i = (i + 1) & mask) {
            if (held == h && key.equals(keys[i])) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        int[] oldHashes = hashes;
        Object[] oldKeys = keys;
        hashes = new int[oldHashes.length * 2];
        keys = new Object[oldHashes.length * 2];
        int mask = hashes.length - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            int h = oldHashes[j];
            if (h != 0) {
                int i = h & mask;
                while (hashes[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = h;
                keys[i] = oldKeys[j];
            }
        }
        Arrays.fill(oldKeys, null);
    }
}
