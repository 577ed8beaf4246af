package io.citypulse.gate;

import static io.citypulse.testutils.Tickets.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.testutils.Tickets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TicketGate} in Flink's operator harness, on the heap and on RocksDB. */
class TicketGateHarnessTest {

    private static final long MIN = 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, TicketEnvelope, TicketEnvelope> harness;

    private void open(String backend) throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new TicketGate("hotspot", Duration.ofHours(1), Duration.ofDays(2))),
                        e -> e.event.getTicketId(),
                        Types.STRING);
        if (backend.equals("rocksdb")) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.open();
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
    @ValueSource(strings = {"heap", "rocksdb"})
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
    @ValueSource(strings = {"heap", "rocksdb"})
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
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldRejectStepsOfTicketsNeverCreated(String backend) throws Exception {
        open(backend);
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
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
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
    @ValueSource(strings = {"heap", "rocksdb"})
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
        if (backend.equals("heap")) {
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
        assertThat(rejected()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
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
        if (backend.equals("heap")) {
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
        assertThat(rejected()).isEmpty();
    }
}
