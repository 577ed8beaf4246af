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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The lifecycle gate ({@link TicketGate}), which every event of every job passes, in Flink's keyed
 * operator harness on the heap and on the embedded RocksDB backend as a plain function with Flink's
 * timers, and on RocksDB in its {@link LifecycleGateOperator} with a write-back cache of 50,000
 * tickets and its own heap timers (as the jobs run it, with the pre-barrier write-back of a
 * checkpoint every {@link #CHECKPOINT_EVERY} invocations).
 *
 * <p>The input is a steady stream of tickets with five lifecycle steps each, interleaved as in a
 * city: each step of ticket {@code k} arrives at position {@code k + LAG[step]} (created, then
 * dispatched 20 tickets later, accepted 400 later, resolved 30,000 later, closed 90,000 later), one
 * ticket created every {@link #SPACING_MS} of event time (about 25,000 a day: one subtask's share
 * of the default bench input). So the gate always holds about 90,000 open tickets, more than the
 * cache, and the late steps of a ticket miss it as they do in the jobs. One event in 50 is a
 * duplicate of the ticket's previous step. The watermark follows the event time. The ids of each
 * event are built as it is fed (a decoder builds them too). Harness overhead (record wrapping, key
 * context switching; the output is collected uncopied, as the gate's chained successor gets it) is
 * in the numbers; the shuffle's serialization and checkpoints are not. One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GateBenchmark {

    static final int BATCH = 1000;

    /** Invocations between checkpoints' write-backs: 160,000 events. */
    static final int CHECKPOINT_EVERY = 160;

    /** Event time between two tickets' creation: about 25,000 tickets a day. */
    static final long SPACING_MS = 3_400;

    /** Where each lifecycle step arrives, in tickets after its creation. */
    private static final int[] LAG = {0, 20, 400, 30_000, 90_000};

    private static final TicketEventType[] STEPS = {
        TicketEventType.CREATED,
        TicketEventType.DISPATCHED,
        TicketEventType.ACCEPTED,
        TicketEventType.RESOLVED,
        TicketEventType.CLOSED
    };

    @Param({"heap", "rocksdb", "rocksdb-cached"})
    public String backend;

    private KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope> harness;
    private List<TicketEvent> templates;
    private long position;
    private int step;
    private int fed;
    private int invocations;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        TicketGate gate = new TicketGate("bench", Duration.ofHours(1), Duration.ofDays(30));
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        backend.equals("rocksdb-cached")
                                ? new LifecycleGateOperator<>(gate, 50_000)
                                : new KeyedProcessOperator<>(gate),
                        e -> e.event.getTicketId(),
                        Types.STRING);
        if (backend.startsWith("rocksdb")) {
            harness.setStateBackend(RocksDbBackend.withOwnMemory());
        }
        harness.setup(new SameObject<>());
        harness.open();
        templates = BenchEvents.tickets(BenchEvents.POOL, 3);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    /** The next event of the interleaved lifecycle stream (see the class comment). */
    private TicketEnvelope next() {
        long ticket;
        do {
            if (step == STEPS.length) {
                step = 0;
                position++;
            }
            ticket = position - LAG[step++];
        } while (ticket < 0);
        int s = step - 1;
        boolean duplicate = ++fed % 50 == 0 && s > 0;
        if (duplicate) {
            s--;
        }
        TicketEvent template = templates.get((int) (ticket & (BenchEvents.POOL - 1)));
        TicketEvent event = new TicketEvent();
        String id = "t-" + ticket;
        event.setTicketId(id);
        event.setEventId(id + "#" + s);
        event.setType(STEPS[s]);
        event.setEventTime(Instant.ofEpochMilli(BenchEvents.START + position * SPACING_MS));
        event.setChannel(template.getChannel());
        event.setCategoryCode(template.getCategoryCode());
        event.setCategoryMajor(template.getCategoryMajor());
        event.setDistrict(template.getDistrict());
        event.setStreet(template.getStreet());
        event.setAgency(template.getAgency());
        event.setUrgency(template.getUrgency());
        event.setExpedited(template.getExpedited());
        return TicketEnvelope.accepted(event, "tickets", 0, fed);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int gate() throws Exception {
        for (int j = 0; j < BATCH; j++) {
            TicketEnvelope e = next();
            harness.processElement(new StreamRecord<>(e, e.eventTimeMillis()));
        }
        if (++invocations % CHECKPOINT_EVERY == 0) {
            harness.prepareSnapshotPreBarrier(invocations);
        }
        harness.processWatermark(new Watermark(BenchEvents.START + position * SPACING_MS - 60_000));
        int passed = harness.getOutput().size();
        harness.getOutput().clear();
        return passed;
    }
}
