package io.citypulse.sla.functions;

import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.sla.records.SlaBreach;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Runs a {@link TicketSlaFunction} with a write-back cache of its ticket state: the state machine
 * reads and rewrites a ticket's whole {@code TicketState} on every event and again on every timer
 * (the event's own, a minute of event time later, and its deadlines), so on RocksDB most of that
 * work was serialising the same object again. The cache is written back before every checkpoint
 * barrier, so checkpoints, savepoints and restores see exactly what the uncached function would
 * have stored.
 */
public final class TicketSlaOperator
        extends CoBroadcastWithKeyedOperator<String, TicketEnvelope, Long, SlaBreach> {

    private static final long serialVersionUID = 1L;

    private final int cacheKeys;

    /**
     * @param function the state machine to run
     * @param cacheKeys tickets whose state stays on the heap between checkpoints (per subtask)
     */
    public TicketSlaOperator(TicketSlaFunction function, int cacheKeys) {
        super(function, List.of(TicketSlaFunction.HORIZON));
        if (cacheKeys < 1) {
            throw new IllegalArgumentException("cacheKeys must be at least 1: " + cacheKeys);
        }
        this.cacheKeys = cacheKeys;
    }

    @Override
    public void open() throws Exception {
        super.open();
        function().cacheState(this, cacheKeys);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        function().flush();
    }

    private TicketSlaFunction function() {
        return (TicketSlaFunction) userFunction;
    }
}
