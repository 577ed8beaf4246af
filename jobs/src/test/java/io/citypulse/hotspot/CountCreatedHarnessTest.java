package io.citypulse.hotspot;

import static io.citypulse.testutils.Tickets.BEGINNING;
import static io.citypulse.testutils.Tickets.FOUR_MINUTES_LATER;
import static io.citypulse.testutils.Tickets.ONE_MINUTE_LATER;
import static io.citypulse.testutils.Tickets.SIX_MINUTES_LATER;
import static io.citypulse.testutils.Tickets.TWENTY_MINUTES_LATER;
import static io.citypulse.testutils.Tickets.createdEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.hotspot.records.TicketCount;
import io.citypulse.kafka.TicketEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 5-minute counting window of {@link HotspotJob}, driven through Flink's operator test harness
 * on the heap and on the RocksDB state backend.
 */
class CountCreatedHarnessTest {

    private static final long WINDOW_MS = Duration.ofMinutes(5).toMillis();

    private KeyedOneInputStreamOperatorTestHarness<Object, TicketEnvelope, TicketCount> harness;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void open(String backend, Duration allowedLateness) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<TicketEnvelope> input =
                env.fromData(
                        TypeInformation.of(TicketEnvelope.class),
                        createdEnvelope(BEGINNING, "NOISE-CONSTRUCTION", "Futian"));
        SingleOutputStreamOperator<TicketCount> counts =
                HotspotJob.countCreated(input, allowedLateness);
        OneInputTransformation<TicketEnvelope, TicketCount> t =
                (OneInputTransformation<TicketEnvelope, TicketCount>) counts.getTransformation();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        t.getOperatorFactory(),
                        (KeySelector) t.getStateKeySelector(),
                        (TypeInformation) t.getStateKeyType());
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

    private void send(Instant at, String code, String district) throws Exception {
        harness.processElement(
                new StreamRecord<>(createdEnvelope(at, code, district), at.toEpochMilli()));
    }

    private List<TicketCount> emitted() {
        return harness.extractOutputValues();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldCountPerKeyAndEmitOnlyWhenTheWatermarkPassesTheWindowEnd(String backend)
            throws Exception {
        open(backend, Duration.ZERO);
        send(BEGINNING, "NOISE-CONSTRUCTION", "Futian");
        send(ONE_MINUTE_LATER, "NOISE-CONSTRUCTION", "Futian");
        send(FOUR_MINUTES_LATER, "NOISE-CONSTRUCTION", "Futian");
        send(ONE_MINUTE_LATER, "NOISE-CONSTRUCTION", "Nanshan");
        send(SIX_MINUTES_LATER, "NOISE-CONSTRUCTION", "Futian");

        harness.processWatermark(BEGINNING.toEpochMilli() + WINDOW_MS - 2);
        assertThat(emitted()).as("window still open").isEmpty();

        harness.processWatermark(BEGINNING.toEpochMilli() + WINDOW_MS - 1);
        assertThat(emitted())
                .extracting(c -> c.district + ":" + c.created + "@" + c.windowStart)
                .containsExactlyInAnyOrder(
                        "Futian:3@" + BEGINNING.toEpochMilli(),
                        "Nanshan:1@" + BEGINNING.toEpochMilli());
        assertThat(emitted())
                .allSatisfy(
                        c -> {
                            assertThat(c.windowEnd).isEqualTo(c.windowStart + WINDOW_MS);
                            assertThat(c.categoryMajor).isEqualTo("NOISE");
                            assertThat(c.categoryCode).isEqualTo("NOISE-CONSTRUCTION");
                        });

        harness.processWatermark(TWENTY_MINUTES_LATER.toEpochMilli());
        assertThat(emitted()).hasSize(3);
        assertThat(emitted().get(2).created).isEqualTo(1);
        assertThat(emitted().get(2).windowStart).isEqualTo(BEGINNING.toEpochMilli() + WINDOW_MS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldSendEventsBehindTheWatermarkToTheLateOutputAndNotCountThem(String backend)
            throws Exception {
        open(backend, Duration.ZERO);
        send(ONE_MINUTE_LATER, "ROADS-POTHOLE", "Luohu");
        harness.processWatermark(SIX_MINUTES_LATER.toEpochMilli());
        send(BEGINNING, "ROADS-POTHOLE", "Luohu");
        harness.processWatermark(TWENTY_MINUTES_LATER.toEpochMilli());

        assertThat(emitted()).singleElement().satisfies(c -> assertThat(c.created).isEqualTo(1));
        ConcurrentLinkedQueue<StreamRecord<TicketEnvelope>> late =
                harness.getSideOutput(HotspotJob.LATE);
        assertThat(late).hasSize(1);
        assertThat(late.peek().getValue().event.getEventTime()).isEqualTo(BEGINNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldUpdateAWindowWithinAllowedLatenessWithAHigherVersion(String backend)
            throws Exception {
        open(backend, Duration.ofMinutes(10));
        send(ONE_MINUTE_LATER, "ROADS-POTHOLE", "Luohu");
        harness.processWatermark(SIX_MINUTES_LATER.toEpochMilli());
        send(BEGINNING, "ROADS-POTHOLE", "Luohu");

        assertThat(emitted()).extracting(c -> c.created).containsExactly(1L, 2L);
        assertThat(emitted().get(1).version).isGreaterThanOrEqualTo(emitted().get(0).version);
        assertThat(emitted().get(1).windowStart).isEqualTo(emitted().get(0).windowStart);
        assertThat(harness.getSideOutput(HotspotJob.LATE)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldLeaveNoStateOrTimersOnceWindowsAndLatenessHavePassed(String backend)
            throws Exception {
        open(backend, Duration.ofMinutes(10));
        send(BEGINNING, "WATER-OUTAGE", "Baoan");
        send(SIX_MINUTES_LATER, "WATER-OUTAGE", "Longgang");
        assertThat(harness.numEventTimeTimers()).isPositive();
        if (backend.equals("heap")) {
            assertThat(harness.numKeyedStateEntries()).isPositive();
        }

        // Window end + allowed lateness of the second window is 10 + 10 minutes.
        harness.processWatermark(TWENTY_MINUTES_LATER.toEpochMilli());

        assertThat(emitted()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        if (backend.equals("heap")) {
            // RocksDB cannot count entries; the timers above prove cleanup was scheduled and ran.
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }
}
