package io.citypulse.common;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs a keyed process function with a {@link WriteBackCache} in front of its keyed state (see
 * {@link StateCaching}), written back before every checkpoint barrier: checkpoints, savepoints and
 * restores see exactly what the plain {@code process(function)} would have stored, and the state
 * names and the operator's uid are the same, so savepoints of either restore into the other.
 */
public class CachingKeyedProcessOperator<K, I, O> extends KeyedProcessOperator<K, I, O> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /**
     * @param function the function to run
     * @param cacheKeys keys whose state stays on the heap between checkpoints (per subtask); 0: no
     *     cache (for a subclass that adds more than the cache)
     */
    public <F extends KeyedProcessFunction<K, I, O> & StateCaching> CachingKeyedProcessOperator(
            F function, int cacheKeys) {
        super(function);
        this.cacheKeys = cacheKeys == 0 ? 0 : WriteBackCache.requireMaxKeys(cacheKeys);
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (cacheKeys > 0) {
            ((StateCaching) userFunction).cacheState(this, cacheKeys);
        }
    }

    /** Whether the function's state has a write-back cache in front of it. */
    protected final boolean cached() {
        return cacheKeys > 0;
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        ((StateCaching) userFunction).flush();
    }
}
