package io.citypulse.gate;

import static io.citypulse.testutils.Tickets.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.testutils.Tickets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TicketGate} in Flink's operator harness, on the heap and on RocksDB, as a plain process
 * function and in its {@link CachingKeyedProcessOperator} with a write-back cache of one ticket
 * (every key switch evicts and writes back) or of many (nothing reaches the state before a
 * checkpoint). Every variant must pass and reject the same events.
 */
class TicketGateHarnessTest {

    private static final long MIN = 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope> harness;

    static Stream<String> variants() {
        return Stream.of(
                "heap", "rocksdb", "rocksdb-cached-1", "heap-cached-1", "rocksdb-cached-100");
    }

    private void open(String variant) throws Exception {
        harness = harness(variant);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope>
            harness(String variant) throws Exception {
        TicketGate gate = new TicketGate("hotspot", Duration.ofHours(1), Duration.ofDays(2));
        int cached = variant.indexOf("-cached-");
        KeyedProcessOperator<String, TicketEnvelope, TicketEnvelope> operator =
                cached < 0
                        ? new KeyedProcessOperator<>(gate)
                        : new CachingKeyedProcessOperator<>(
                                gate, Integer.parseInt(variant.substring(cached + 8)));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, e -> e.event.getTicketId(), Types.STRING);
        if (variant.startsWith("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    /** Keyed state entries once every cached change is written back (as before a checkpoint). */
    private int stateEntries() throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        return harness.numKeyedStateEntries();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static TicketEvent step(
            String ticket, String eventId, TicketEventType type, long minute) {
        TicketEvent e =
                Tickets.event(type, BEGINNING.plusMillis(minute * MIN), "NOISE-X", "Futian");
        e.setTicketId(ticket);
        e.setEventId(eventId);
        return e;
    }

    private void send(TicketEvent e) throws Exception {
        harness.processElement(
                new StreamRecord<>(Tickets.envelope(e), e.getEventTime().toEpochMilli()));
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream().map(e -> e.event.getEventId()).toList();
    }

    private List<DeadLetter> rejected() {
        var out = harness.getSideOutput(LifecycleGate.REJECTED);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldPassEachEventOnceDroppingRedeliveries(String backend) throws Exception {
        open(backend);
        send(step("t1", "t1#0", TicketEventType.CREATED, 0));
        send(step("t1", "t1#0", TicketEventType.CREATED, 0));
        send(step("t1", "t1#1", TicketEventType.DISPATCHED, 5));
        send(step("t1", "t1#1", TicketEventType.DISPATCHED, 5));

        assertThat(passed()).containsExactly("t1#0", "t1#1");
        assertThat(rejected()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldHoldAStepThatArrivesBeforeItsCreatedUntilTheWatermark(String backend)
            throws Exception {
        open(backend);
        send(step("t2", "t2#1", TicketEventType.DISPATCHED, 10));
        assertThat(passed()).isEmpty();

        send(step("t2", "t2#0", TicketEventType.CREATED, 8));
        assertThat(passed()).containsExactly("t2#0");

        harness.processWatermark(BEGINNING.toEpochMilli() + 10 * MIN);
        assertThat(passed()).containsExactly("t2#0", "t2#1");
        assertThat(rejected()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRejectStepsOfTicketsNeverCreated(String variant) throws Exception {
        open(variant);
        send(step("ghost", "ghost#3", TicketEventType.RESOLVED, 30));
        harness.processWatermark(BEGINNING.toEpochMilli() + 30 * MIN);

        assertThat(passed()).isEmpty();
        assertThat(rejected())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getReason()).isEqualTo("UNKNOWN_TICKET");
                            assertThat(d.getEventId()).isEqualTo("ghost#3");
                            assertThat(d.getDetail()).contains("RESOLVED").contains("ghost");
                            assertThat(d.getPayload().remaining()).isPositive();
                        });

        // Its retention over, nothing of it is left: neither the state nor the waiting list.
        harness.processWatermark(
                BEGINNING.toEpochMilli() + 30 * MIN + Duration.ofDays(2).toMillis());
        assertThat(harness.numEventTimeTimers()).isZero();
        if (variant.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRejectEventsPastTheirWindowAndLatenessAsLate(String backend) throws Exception {
        open(backend);
        send(step("t3", "t3#0", TicketEventType.CREATED, 0));
        // Window [0, 5) min closes at 5 min; with 1 h of lateness, 65 min is too late for it.
        harness.processWatermark(BEGINNING.toEpochMilli() + 65 * MIN);
        send(step("t3", "t3#1", TicketEventType.DISPATCHED, 4));
        send(step("t3", "t3#2", TicketEventType.ACCEPTED, 5));

        assertThat(passed()).containsExactly("t3#0", "t3#2");
        assertThat(rejected()).extracting(DeadLetter::getReason).containsExactly("LATE");
        assertThat(rejected().get(0).getEventTime()).isEqualTo(BEGINNING.plusMillis(4 * MIN));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldForgetATicketAfterRetention(String backend) throws Exception {
        open(backend);
        send(step("t4", "t4#0", TicketEventType.CREATED, 0));
        send(step("t4", "t4#1", TicketEventType.CLOSED, 60));
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(
                Instant.ofEpochMilli(BEGINNING.toEpochMilli() + 60 * MIN)
                        .plus(Duration.ofDays(2))
                        .toEpochMilli());

        assertThat(harness.numEventTimeTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
        assertThat(rejected()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldKeepOneCleanupTimerPerTicketAndStillForgetItRetentionAfterItsLastEvent(
            String backend) throws Exception {
        open(backend);
        long day = Duration.ofDays(1).toMillis() / MIN;
        send(step("t5", "t5#0", TicketEventType.CREATED, 0));
        send(step("t5", "t5#1", TicketEventType.DISPATCHED, 30));
        send(step("t5", "t5#2", TicketEventType.ACCEPTED, 90));
        send(step("t5", "t5#3", TicketEventType.RESOLVED, day));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Past retention after the first event, before retention after the last: still known.
        harness.processWatermark(BEGINNING.toEpochMilli() + (2 * day + 60) * MIN);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        send(step("t5", "t5#3", TicketEventType.RESOLVED, day));
        send(step("t5", "t5#4", TicketEventType.CLOSED, 2 * day + 60));
        assertThat(passed()).containsExactly("t5#0", "t5#1", "t5#2", "t5#3", "t5#4");

        // Retention (2 days) after the last event: forgotten, nothing left behind.
        harness.processWatermark(BEGINNING.toEpochMilli() + (4 * day + 60) * MIN - 1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(BEGINNING.toEpochMilli() + (4 * day + 60) * MIN);
        assertThat(harness.numEventTimeTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
        assertThat(rejected()).isEmpty();
    }

    /**
     * A step later than its ticket's clean-up time (retention after the last event) finds the
     * ticket forgotten whether or not the watermark has passed that time when it arrives: a replay
     * advances the watermark unevenly, and the outcome must not depend on it. Two tickets with the
     * same events: one step arrives before the clean-up timer fires, the other after. Both are
     * steps of an unknown ticket (the old rule let the first one through).
     */
    @ParameterizedTest
    @MethodSource("variants")
    void shouldForgetATicketByTheStepsEventTimeHoweverFarTheWatermarkHasGot(String variant)
            throws Exception {
        open(variant);
        long day = Duration.ofDays(1).toMillis() / MIN;
        send(step("early", "early#0", TicketEventType.CREATED, 0));
        send(step("late", "late#0", TicketEventType.CREATED, 0));
        // Retention is 2 days: both are forgotten at 2 days. "early"'s CLOSED, 10 minutes later,
        // arrives while the watermark is still at the start.
        send(step("early", "early#5", TicketEventType.CLOSED, 2 * day + 10));
        harness.processWatermark(BEGINNING.toEpochMilli() + 2 * day * MIN);
        // "late"'s arrives after the watermark passed the clean-up time.
        send(step("late", "late#5", TicketEventType.CLOSED, 2 * day + 10));
        harness.processWatermark(BEGINNING.toEpochMilli() + (2 * day + 10) * MIN);

        assertThat(passed()).containsExactly("early#0", "late#0");
        assertThat(rejected())
                .extracting(DeadLetter::getEventId, DeadLetter::getReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("early#5", "UNKNOWN_TICKET"),
                        org.assertj.core.groups.Tuple.tuple("late#5", "UNKNOWN_TICKET"));

        // Nothing of either is left once the retention after the steps has passed.
        harness.processWatermark(BEGINNING.toEpochMilli() + (4 * day + 10) * MIN);
        assertThat(harness.numEventTimeTimers()).isZero();
        if (variant.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
    }

    /**
     * What the cache holds reaches a snapshot: a ticket's events seen before it are still known
     * after a restore (a redelivery is dropped, the next step passes, a step of a ticket created
     * only before the snapshot is not unknown).
     */
    @ParameterizedTest
    @MethodSource("variants")
    void shouldKnowEveryEventSeenBeforeASnapshotAfterARestore(String variant) throws Exception {
        open(variant);
        send(step("t6", "t6#0", TicketEventType.CREATED, 0));
        send(step("t7", "t7#0", TicketEventType.CREATED, 1));
        send(step("t6", "t6#1", TicketEventType.DISPATCHED, 2));
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        List<String> before = passed();
        harness.close();

        harness = harness(variant);
        harness.initializeState(snapshot);
        harness.open();
        send(step("t6", "t6#1", TicketEventType.DISPATCHED, 2)); // redelivered after the restore
        send(step("t6", "t6#2", TicketEventType.ACCEPTED, 3));
        send(step("t7", "t7#1", TicketEventType.DISPATCHED, 4));
        harness.processWatermark(BEGINNING.toEpochMilli() + 10 * MIN);

        assertThat(before).containsExactly("t6#0", "t7#0", "t6#1");
        assertThat(passed()).containsExactly("t6#2", "t7#1");
        assertThat(rejected()).isEmpty();
    }
}
