package io.citypulse.common;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed {@link ValueState} as a function that may run with a write-back cache reads and writes
 * it: through a {@link WriteBackCache} once {@link #cache} has been called (by the caching
 * operator, in {@code open}), else straight through the state, as a plain {@code process} would.
 * The one place the choice between the two is made, for the functions whose state is a single value
 * per key (the lifecycle gates, the SLA state machine, {@code agency-daily}, the spike detector's
 * next step). Not thread-safe: only the task thread may use it.
 *
 * @param <V> the state's value type
 */
public final class CachedValueState<V> {

    private final ValueState<V> state;

    private WriteBackCache<V, V> cache;

    public CachedValueState(ValueState<V> state) {
        this.state = state;
    }

    /**
     * From now on the values go through a write-back cache of {@code maxKeys} keys.
     *
     * @param keys the operator's key context
     * @param copy a deep copy of a value (the identity for an immutable one); not used when the
     *     operator's keyed state backend serialises its values (RocksDB)
     */
    public void cache(KeyContext keys, int maxKeys, UnaryOperator<V> copy) {
        // A backend that serialises every value it is given and deserialises a new object for
        // every read shares nothing with the heap: the copies would only make garbage.
        UnaryOperator<V> copying =
                WriteBackCache.serialisesValues(keys) ? UnaryOperator.identity() : copy;
        cache = WriteBackCache.copying(keys, state, maxKeys, copying);
    }

    /** The current key's value, or null. */
    public V value() throws IOException {
        return cache == null ? state.value() : cache.value();
    }

    /** Sets the current key's value; null clears it (in the cache: at its next write-back). */
    public void update(V value) throws IOException {
        if (cache != null) {
            cache.update(value);
        } else if (value == null) {
            state.clear();
        } else {
            state.update(value);
        }
    }

    /** Clears the current key's value at once, without reading it (also with a cache). */
    public void clear() throws IOException {
        if (cache != null) {
            cache.clear();
        } else {
            state.clear();
        }
    }

    /**
     * The current key's handle in the cache, for a timer of the operator's own to hold ({@link
     * WriteBackCache#handle()}); only with a cache.
     */
    public WriteBackCache.Handle handle() {
        return requireCache().handle();
    }

    /**
     * The operator made {@code handle}'s key its current key: its value is found without a look-up
     * while it stays cached ({@link WriteBackCache#resume}); only with a cache.
     */
    public void resume(WriteBackCache.Handle handle) {
        requireCache().resume(handle);
    }

    /**
     * A timer of the operator's own that holds {@code handle} fires, its key not made the current
     * key: true if the key is still cached, and then its value is read and written through the
     * handle until {@link #unpin()}; false if it is not ({@link WriteBackCache#pin}). Only with a
     * cache.
     */
    public boolean pin(WriteBackCache.Handle handle) {
        return requireCache().pin(handle);
    }

    /** Reads and writes follow the current key again ({@link WriteBackCache#unpin}). */
    public void unpin() {
        requireCache().unpin();
    }

    /**
     * From now on the cache keeps the keys the state holds a value for, and a key it does not know
     * is not read ({@link WriteBackCache#knowStoredKeys}); only with a cache, before any look-up.
     */
    public void knowStoredKeys() {
        requireCache().knowStoredKeys();
    }

    /**
     * The state holds a value for {@code key}: for the scan of the state on restore, after {@link
     * #knowStoredKeys} ({@link WriteBackCache#stored}).
     */
    public void stored(Object key) {
        requireCache().stored(key);
    }

    private WriteBackCache<V, V> requireCache() {
        if (cache == null) {
            throw new IllegalStateException("no write-back cache in front of this state");
        }
        return cache;
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    public void flush() throws IOException {
        if (cache != null) {
            cache.flush();
        }
    }
}
