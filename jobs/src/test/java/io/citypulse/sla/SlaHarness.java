package io.citypulse.sla;

import io.citypulse.avro.DeadLetter;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.sla.functions.SlaRules;
import io.citypulse.sla.functions.TicketSlaFunction;
import io.citypulse.sla.functions.TicketSlaOperator;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyFact;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.sla.records.TicketState;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * {@link TicketSlaFunction} in Flink's keyed-broadcast operator test harness, on the heap or on
 * RocksDB ({@code heap}, {@code rocksdb}), optionally in a {@link TicketSlaOperator} caching N
 * tickets ({@code rocksdb-cached-N}) and firing its own event-time timers (N 0: the operator with
 * no cache and Flink's timers), with helpers to feed events and watermarks and read what came out.
 */
final class SlaHarness implements AutoCloseable {

    static final Duration CLOSED_GRACE = Duration.ofDays(1);
    static final Duration MAX_AGE = Duration.ofDays(30);

    final String backend;
    final KeyedBroadcastOperatorTestHarness<String, TicketEnvelope, Long, SlaBreach> harness;

    private SlaHarness(
            String backend,
            KeyedBroadcastOperatorTestHarness<String, TicketEnvelope, Long, SlaBreach> harness) {
        this.backend = backend;
        this.harness = harness;
    }

    static SlaHarness open(String backend) throws Exception {
        return open(backend, SlaLimits.defaults());
    }

    static SlaHarness open(String backend, SlaLimits limits) throws Exception {
        return open(backend, limits, null);
    }

    private static SlaHarness open(String backend, SlaLimits limits, OperatorSubtaskState restore)
            throws Exception {
        TicketSlaFunction function =
                new TicketSlaFunction(
                        "sla",
                        new SlaRules(limits, ZoneId.of("Asia/Shanghai")),
                        CLOSED_GRACE,
                        MAX_AGE);
        int cached = backend.indexOf("-cached-");
        KeyedBroadcastOperatorTestHarness<String, TicketEnvelope, Long, SlaBreach> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        cached < 0
                                ? new CoBroadcastWithKeyedOperator<>(
                                        function, List.of(TicketSlaFunction.HORIZON))
                                : new TicketSlaOperator(
                                        function, Integer.parseInt(backend.substring(cached + 8))),
                        e -> e.event.getTicketId(),
                        Types.STRING,
                        1,
                        1,
                        0);
        if (backend.startsWith("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return new SlaHarness(backend, h);
    }

    /**
     * Takes a snapshot as a task does at a checkpoint barrier (the pre-barrier step first), closes
     * this harness and opens a new one of the same kind restored from it.
     */
    SlaHarness restarted() throws Exception {
        return restartedAs(backend);
    }

    /** As {@link #restarted()}, into a harness of another kind ({@code other}: as for open). */
    SlaHarness restartedAs(String other) throws Exception {
        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        return open(other, SlaLimits.defaults(), snapshot);
    }

    void send(TicketEnvelope... envelopes) throws Exception {
        for (TicketEnvelope e : envelopes) {
            harness.processElement(e, e.eventTimeMillis());
        }
    }

    /** Advances the watermark of both inputs. */
    void watermark(long time) throws Exception {
        harness.watermark(time);
    }

    /** The end of a bounded input: its last event time, then the final watermark. */
    void endOfInput(long lastEventTime) throws Exception {
        harness.processBroadcastElement(lastEventTime, lastEventTime);
        watermark(Long.MAX_VALUE);
    }

    List<SlaBreach> breaches() {
        return harness.extractOutputValues();
    }

    List<AgencyContribution> contributions() {
        return values(harness.getSideOutput(TicketSlaFunction.AGENCY));
    }

    /** The agency fact currently in force: the last one added. */
    AgencyFact lastFact() {
        List<AgencyContribution> all = contributions();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).sign > 0) {
                return all.get(i).fact;
            }
        }
        return null;
    }

    List<DeadLetter> stale() {
        return values(harness.getSideOutput(TicketSlaFunction.STALE));
    }

    /** Pending event-time timers: Flink's, plus those of a {@link TicketSlaOperator}'s index. */
    int timers() {
        int own =
                harness.getOperator() instanceof TicketSlaOperator op ? op.pendingEventTimers() : 0;
        return harness.numEventTimeTimers() + own;
    }

    /** Keyed state entries; only the heap backend can count them (-1 on RocksDB). */
    int stateEntries() throws Exception {
        harness.prepareSnapshotPreBarrier(0); // a cache writes back, as before a checkpoint
        if (harness.getOperator().getKeyedStateBackend() instanceof HeapKeyedStateBackend<?> heap) {
            return heap.numKeyValueStateEntries();
        }
        return -1;
    }

    /** The ticket's keyed state as the function left it, or null. */
    TicketState state(String ticketId) throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        harness.getOperator().setCurrentKey(ticketId);
        return harness.getOperator()
                .getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("ticket", TicketState.class))
                .value();
    }

    private static <T> List<T> values(Queue<StreamRecord<T>> records) {
        List<T> out = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
