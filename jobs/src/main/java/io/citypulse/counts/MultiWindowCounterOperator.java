package io.citypulse.counts;

import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs a {@link MultiWindowCounter} with a {@link WriteBackCache} of its state: the counter reads
 * and rewrites a key's windows on every event, so on RocksDB most of its time went to deserialising
 * and serialising the same values again. The cache is written back before every checkpoint barrier,
 * so checkpoints, savepoints and restores see exactly what the plain {@code process(counter)} would
 * have stored.
 */
public final class MultiWindowCounterOperator
        extends KeyedProcessOperator<String, CountFact, CountRow> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /**
     * @param counter the counter to run
     * @param cacheKeys keys whose windows stay on the heap between checkpoints (per subtask)
     */
    public MultiWindowCounterOperator(MultiWindowCounter counter, int cacheKeys) {
        super(counter);
        if (cacheKeys < 1) {
            throw new IllegalArgumentException("cacheKeys must be at least 1: " + cacheKeys);
        }
        this.cacheKeys = cacheKeys;
    }

    @Override
    public void open() throws Exception {
        super.open();
        counter().cacheState(this, cacheKeys);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        counter().flush();
    }

    private MultiWindowCounter counter() {
        return (MultiWindowCounter) userFunction;
    }
}
