package io.citypulse.common;

/**
 * How many keys of a keyed state have each hash code: a multiset of {@code int}s in open addressing
 * (linear probing, deletion by backward shift), about 16 bytes per distinct hash. {@link #mayHold}
 * false means no key with that hash is counted, so a key known to be counted exactly when its state
 * holds a value can be looked up without reading the state; two keys with one hash only cost a read
 * that finds nothing. Not thread-safe.
 */
public final class KeyHashCounts {

    private int[] hashes;
    private int[] counts; // 0 marks an empty slot
    private int shift; // 32 - log2(capacity): a slot is the top bits of the spread hash
    private int used;
    private long total;

    public KeyHashCounts() {
        allocate(64);
    }

    /** Counts one more key with this hash. */
    public void add(int hash) {
        int i = find(hash);
        if (counts[i] == 0) {
            hashes[i] = hash;
            used++;
        }
        counts[i]++;
        total++;
        if (used * 2 > hashes.length) {
            resize(hashes.length * 2);
        }
    }

    /**
     * Counts one key with this hash fewer.
     *
     * @throws IllegalStateException when none is counted (the caller's bookkeeping is wrong)
     */
    public void remove(int hash) {
        int i = find(hash);
        if (counts[i] == 0) {
            throw new IllegalStateException("no key with hash " + hash + " is counted");
        }
        total--;
        if (--counts[i] > 0) {
            return;
        }
        used--;
        // Backward shift: move later entries of the probe run into the hole, so every entry stays
        // reachable from its home slot without tombstones.
        int mask = hashes.length - 1;
        int hole = i;
        for (int j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
            int home = home(hashes[j]);
            // j's entry may move to the hole when its home is not in (hole, j] (cyclically).
            boolean homeBetween = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeBetween) {
                hashes[hole] = hashes[j];
                counts[hole] = counts[j];
                counts[j] = 0;
                hole = j;
            }
        }
    }

    /** False when no key with this hash is counted. */
    public boolean mayHold(int hash) {
        return counts[find(hash)] != 0;
    }

    /** Keys counted. */
    public long size() {
        return total;
    }

    /** The slot holding {@code hash}, or the empty slot where it would go. */
    private int find(int hash) {
        int mask = hashes.length - 1;
        int i = home(hash);
        while (counts[i] != 0 && hashes[i] != hash) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Fibonacci hashing: String hash codes of similar ids differ in their low bits only. */
    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        counts = new int[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private void resize(int capacity) {
        int[] oldHashes = hashes;
        int[] oldCounts = counts;
        allocate(capacity);
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldCounts[i] != 0) {
                int j = find(oldHashes[i]);
                hashes[j] = oldHashes[i];
                counts[j] = oldCounts[i];
            }
        }
    }

    @Override
    public String toString() {
        return "KeyHashCounts{keys=" + total + ", hashes=" + used + "}";
    }

    /** Slots in the table (for tests: it grows to keep at most half of them used). */
    int capacity() {
        return hashes.length;
    }
}
