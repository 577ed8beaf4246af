package io.citypulse.common;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs a keyed broadcast process function with a {@link WriteBackCache} in front of its keyed state
 * (see {@link StateCaching}), written back before every checkpoint barrier, as {@link
 * CachingKeyedProcessOperator} does for a keyed process function. Build it into a job with {@link
 * KeyedBroadcast#transform}.
 */
public class CachingKeyedBroadcastOperator<K, I1, I2, O>
        extends CoBroadcastWithKeyedOperator<K, I1, I2, O> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /**
     * @param function the function to run
     * @param broadcastStates the function's broadcast state descriptors
     * @param cacheKeys keys whose state stays on the heap between checkpoints (per subtask); 0: no
     *     cache (for a subclass that adds more than the cache)
     */
    public <F extends KeyedBroadcastProcessFunction<K, I1, I2, O> & StateCaching>
            CachingKeyedBroadcastOperator(
                    F function, List<MapStateDescriptor<?, ?>> broadcastStates, int cacheKeys) {
        super(function, broadcastStates);
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
