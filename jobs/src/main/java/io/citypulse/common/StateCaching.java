package io.citypulse.common;

import java.io.IOException;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed function whose keyed state can sit behind a {@link WriteBackCache}, run by a {@link
 * CachingKeyedProcessOperator} or a {@link CachingKeyedBroadcastOperator}.
 */
public interface StateCaching {

    /**
     * Puts a write-back cache of {@code maxKeys} keys in front of the function's keyed state; from
     * then on {@link #flush()} must run before every checkpoint barrier.
     */
    void cacheState(KeyContext keys, int maxKeys);

    /** Writes the cached changes to the state. */
    void flush() throws IOException;

    /**
     * Called right after {@link #cacheState}: a function whose cache is to know which keys its
     * state holds ({@link WriteBackCache#trackStoredKeys}) reads them here, with {@link
     * #trackStoredKeys(WriteBackCache, KeyedStateBackend, String)}. The default does nothing.
     */
    default void trackStoredKeys(KeyedStateBackend<?> backend) throws Exception {}

    /**
     * Seeds {@code cache} with the keys of the keyed value state {@code stateName} (in the void
     * namespace) in {@code backend}: none on a fresh start, every one after a restore.
     */
    static void trackStoredKeys(
            WriteBackCache<?, ?> cache, KeyedStateBackend<?> backend, String stateName) {
        try (Stream<?> keys = backend.getKeys(stateName, VoidNamespace.INSTANCE)) {
            cache.trackStoredKeys(keys.iterator());
        }
    }
}
