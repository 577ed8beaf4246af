package io.citypulse.common;

import java.io.IOException;
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
}
