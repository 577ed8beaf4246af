package io.citypulse.alerts.functions;

import io.citypulse.avro.HotspotAlert;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs a {@link SpikeDetector} with a write-back cache ({@link io.citypulse.common.WriteBackCache})
 * of its categories' decoded {@link MajorState}, written back encoded before every checkpoint
 * barrier: checkpoints, savepoints and restores see exactly what the plain {@code
 * connect(broadcast).process(detector)} would have stored, with the same state names, so savepoints
 * of either restore into the other.
 *
 * <p>Every 5-minute step of a category decodes its whole state (the recent counts of every active
 * series, the alert states, the last hour's evidence, the week) and encodes it again; there are a
 * few dozen categories, so all of them fit.
 */
public final class SpikeDetectorOperator
        extends CoBroadcastWithKeyedOperator<String, Signal, Long, HotspotAlert> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /**
     * @param detector the detector to run
     * @param cacheKeys categories whose state stays decoded on the heap between checkpoints (per
     *     subtask)
     */
    public SpikeDetectorOperator(SpikeDetector detector, int cacheKeys) {
        super(detector, List.of(SpikeDetector.HORIZON));
        if (cacheKeys < 1) {
            throw new IllegalArgumentException("cacheKeys must be at least 1: " + cacheKeys);
        }
        this.cacheKeys = cacheKeys;
    }

    @Override
    public void open() throws Exception {
        super.open();
        detector().cacheState(this, cacheKeys);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        detector().flush();
    }

    private SpikeDetector detector() {
        return (SpikeDetector) userFunction;
    }
}
