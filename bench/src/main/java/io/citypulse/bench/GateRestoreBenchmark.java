package io.citypulse.bench;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.gate.LifecycleGateOperator;
import io.citypulse.gate.TicketGate;
import io.citypulse.kafka.TicketEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long the lifecycle gate takes to restore a subtask's state, on RocksDB in its {@link
 * LifecycleGateOperator}: the state backend's restore from a full snapshot, then every entity read
 * once to set its timers again ({@code applyToAllKeys}), into the operator's heap index (a cache of
 * 50,000, as the jobs run it) or into Flink's timer service, which restores its own timers from the
 * snapshot as well (cache 0).
 *
 * <p>The state is {@link #tickets} tickets, each created once, one every 6.5 s of event time (30
 * days of a Shenzhen-size city's 400,000 tickets in one subtask), one in 50 with a step that came
 * before its CREATED and is still waiting. One operation = one restore, the harness set up but not
 * opened before it and closed after it, outside the timed part.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GateRestoreBenchmark {

    @Param({"400000"})
    public int tickets;

    @Param({"50000", "0"})
    public int cacheKeys;

    private OperatorSubtaskState snapshot;
    private KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope> harness;

    private KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope> harness()
            throws Exception {
        TicketGate gate = new TicketGate("bench", Duration.ofHours(1), Duration.ofDays(30));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new LifecycleGateOperator<>(gate, cacheKeys),
                        e -> e.event.getTicketId(),
                        Types.STRING);
        h.setStateBackend(RocksDbBackend.withOwnMemory());
        // The snapshot stays in memory, as in the harness by default, but is larger than its 5 MB.
        h.setCheckpointStorage(new JobManagerCheckpointStorage(512 << 20));
        h.setup(new SameObject<>());
        return h;
    }

    @Setup(Level.Trial)
    public void fill() throws Exception {
        var h = harness();
        h.open();
        List<TicketEvent> templates = BenchEvents.tickets(BenchEvents.POOL, 5);
        for (int k = 0; k < tickets; k++) {
            boolean waiting = k % 50 == 0;
            TicketEvent event =
                    TicketEvent.newBuilder(templates.get(k & (BenchEvents.POOL - 1))).build();
            String id = "t-" + k;
            event.setTicketId(id);
            event.setEventId(id + (waiting ? "#1" : "#0"));
            event.setType(waiting ? TicketEventType.DISPATCHED : TicketEventType.CREATED);
            event.setEventTime(Instant.ofEpochMilli(BenchEvents.START + k * 6_500L));
            TicketEnvelope e = TicketEnvelope.accepted(event, "tickets", 0, k);
            h.processElement(new StreamRecord<>(e, e.eventTimeMillis()));
        }
        h.prepareSnapshotPreBarrier(1);
        snapshot = h.snapshot(1, 1);
        h.close();
    }

    @Setup(Level.Iteration)
    public void prepare() throws Exception {
        harness = harness();
    }

    @Benchmark
    public int restore() throws Exception {
        harness.initializeState(snapshot);
        harness.open();
        return harness.numEventTimeTimers();
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        // Without a cache the timers are Flink's, and countable: one clean-up per ticket, and one
        // per waiting step.
        if (cacheKeys == 0 && harness.numEventTimeTimers() != tickets + (tickets + 49) / 50) {
            throw new IllegalStateException(
                    "restored " + harness.numEventTimeTimers() + " timers for " + tickets);
        }
        harness.close();
    }
}
