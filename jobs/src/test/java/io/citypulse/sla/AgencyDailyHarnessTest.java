package io.citypulse.sla;

import static io.citypulse.sla.TicketScript.days;
import static io.citypulse.sla.TicketScript.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.sla.functions.AgencyDailyFunction;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.AgencyFact;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agency-per-day aggregate in Flink's operator test harness, on the heap and on RocksDB, as a
 * plain process function and in its {@link CachingKeyedProcessOperator} with a write-back cache of
 * one (agency, day) (every key switch evicts and writes back) or of many (nothing reaches the state
 * before a checkpoint). Every variant must write the same rows.
 */
class AgencyDailyHarnessTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final int NOV_2 = (int) LocalDate.parse("2026-11-02").toEpochDay();
    private static final long MINUTE = 60_000L;

    private KeyedOneInputStreamOperatorTestHarness<
                    Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
            harness;

    static Stream<String> variants() {
        return Stream.of(
                "heap", "rocksdb", "rocksdb-cached-1", "heap-cached-1", "rocksdb-cached-100");
    }

    private void open(String variant) throws Exception {
        harness = harness(variant);
        harness.open();
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
            harness(String variant) throws Exception {
        AgencyDailyFunction function =
                new AgencyDailyFunction(SHANGHAI, Duration.ofMinutes(5), Duration.ofDays(2));
        int cached = variant.indexOf("-cached-");
        KeyedProcessOperator<Tuple2<String, Integer>, AgencyContribution, AgencyDaily> operator =
                cached < 0
                        ? new KeyedProcessOperator<>(function)
                        : new CachingKeyedProcessOperator<>(
                                function, Integer.parseInt(variant.substring(cached + 8)));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator,
                        (AgencyContribution c) -> Tuple2.of(c.fact.agency, c.fact.epochDay),
                        Types.TUPLE(Types.STRING, Types.INT));
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

    private static AgencyFact fact(
            String agency,
            String urgency,
            long latencyMinutes,
            boolean late,
            boolean returned,
            boolean success,
            String resolution) {
        return new AgencyFact(
                agency,
                NOV_2,
                urgency,
                latencyMinutes * MINUTE,
                late,
                returned,
                success,
                resolution);
    }

    private void send(AgencyContribution c) throws Exception {
        harness.processElement(c, c.asOf);
    }

    private List<AgencyDaily> rows() {
        return harness.extractOutputValues();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldWriteExactCountsAndPercentilesOnceAnIntervalAndApplyRetractions(String backend)
            throws Exception {
        open(backend);
        AgencyFact f1 = fact("TRANSPORT", "GENERAL", 10, false, false, true, "PENDING");
        AgencyFact f2 = fact("TRANSPORT", "GENERAL", 30, false, true, false, "PENDING");
        AgencyFact f3 = fact("TRANSPORT", "GENERAL", 20, false, false, true, "ON_TIME");
        AgencyFact f4 = fact("TRANSPORT", "EMERGENCY", 5, false, false, true, "LATE");
        AgencyFact f5 = fact("TRANSPORT", "GENERAL", 150, true, false, false, "OPEN_PAST_DUE");
        AgencyFact other = fact("WATER_AFFAIRS", "GENERAL", 12, false, false, false, "PENDING");
        send(AgencyContribution.add(f1, minutes(1)));
        send(AgencyContribution.add(f2, minutes(2)));
        send(AgencyContribution.add(f3, minutes(3)));
        send(AgencyContribution.add(f4, minutes(4)));
        send(AgencyContribution.add(f5, minutes(5)));
        send(AgencyContribution.add(other, minutes(2)));

        harness.processWatermark(minutes(5) - 1);
        assertThat(rows()).isEmpty();
        harness.processWatermark(minutes(5));
        assertThat(rows()).hasSize(2);
        AgencyDaily transport =
                rows().stream().filter(r -> r.agency.equals("TRANSPORT")).findFirst().get();
        assertThat(transport.day).isEqualTo("2026-11-02");
        assertThat(transport.ticketsDispatched).isEqualTo(5);
        assertThat(transport.ticketsReturned).isEqualTo(1);
        assertThat(transport.firstDispatchSuccess).isEqualTo(3);
        assertThat(transport.firstDispatchSuccessRate).isEqualTo(0.75);
        assertThat(transport.dispatchedLate).isEqualTo(1);
        assertThat(transport.emergencyDispatched).isEqualTo(1);
        assertThat(transport.emergencyLatencyP50Min).isEqualTo(5.0);
        assertThat(transport.emergencyLatencyP90Min).isEqualTo(5.0);
        // General latencies 10, 20, 30, 150: p50 at rank 2, p90 at rank 4.
        assertThat(transport.generalDispatched).isEqualTo(4);
        assertThat(transport.generalLatencyP50Min).isEqualTo(20.0);
        assertThat(transport.generalLatencyP90Min).isEqualTo(150.0);
        assertThat(transport.resolvedOnTime).isEqualTo(1);
        assertThat(transport.resolvedLate).isEqualTo(1);
        assertThat(transport.openPastDue).isEqualTo(1);
        assertThat(transport.version).isEqualTo(minutes(5));
        AgencyDaily water =
                rows().stream().filter(r -> r.agency.equals("WATER_AFFAIRS")).findFirst().get();
        assertThat(water.firstDispatchSuccessRate).as("nothing decided yet").isNull();
        assertThat(water.emergencyLatencyP50Min).isNull();

        // Ticket 1 is resolved on time; ticket 5's open-past-due becomes late.
        AgencyFact f1Resolved = fact("TRANSPORT", "GENERAL", 10, false, false, true, "ON_TIME");
        AgencyFact f5Resolved = fact("TRANSPORT", "GENERAL", 150, true, false, false, "LATE");
        send(AgencyContribution.retract(f1, minutes(7)));
        send(AgencyContribution.add(f1Resolved, minutes(7)));
        send(AgencyContribution.retract(f5, minutes(8)));
        send(AgencyContribution.add(f5Resolved, minutes(8)));
        harness.processWatermark(minutes(10));

        assertThat(rows()).hasSize(3);
        AgencyDaily updated = rows().get(2);
        assertThat(updated.agency).isEqualTo("TRANSPORT");
        assertThat(updated.ticketsDispatched).isEqualTo(5);
        assertThat(updated.resolvedOnTime).isEqualTo(2);
        assertThat(updated.resolvedLate).isEqualTo(2);
        assertThat(updated.openPastDue).isZero();
        assertThat(updated.generalLatencyP50Min).isEqualTo(20.0);
        assertThat(updated.generalDispatched).isEqualTo(4);
        assertThat(updated.version).isEqualTo(minutes(10));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldWriteOnlyWhatHoldsAsOfEachTickWhateverArrivedEarly(String backend) throws Exception {
        open(backend);
        // Both arrive before any watermark; the second holds only from 12 minutes on.
        send(
                AgencyContribution.add(
                        fact("TRANSPORT", "GENERAL", 10, false, false, false, "PENDING"),
                        minutes(1)));
        send(
                AgencyContribution.add(
                        fact("TRANSPORT", "EMERGENCY", 3, false, false, true, "PENDING"),
                        minutes(12)));
        harness.processWatermark(minutes(7));
        assertThat(rows())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.ticketsDispatched).isEqualTo(1);
                            assertThat(r.emergencyDispatched).isZero();
                            assertThat(r.version).isEqualTo(minutes(5));
                        });
        harness.processWatermark(minutes(15));
        assertThat(rows()).hasSize(2);
        assertThat(rows().get(1).ticketsDispatched).isEqualTo(2);
        assertThat(rows().get(1).emergencyLatencyP50Min).isEqualTo(3.0);
        assertThat(rows().get(1).version).isEqualTo(minutes(15));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldWriteNothingWithoutAChangeAndUseTheNextTickForLateContributions(String backend)
            throws Exception {
        open(backend);
        AgencyFact f = fact("TRANSPORT", "GENERAL", 10, false, false, false, "PENDING");
        send(AgencyContribution.add(f, minutes(1)));
        harness.processWatermark(minutes(30));
        assertThat(rows()).hasSize(1);
        harness.processWatermark(minutes(60));
        assertThat(rows()).as("no change, no row").hasSize(1);

        // A contribution behind the watermark (a late ticket event) goes out at the next tick.
        send(AgencyContribution.retract(f, minutes(20)));
        send(
                AgencyContribution.add(
                        fact("TRANSPORT", "GENERAL", 10, false, true, false, "PENDING"),
                        minutes(20)));
        harness.processWatermark(minutes(65));
        assertThat(rows()).hasSize(2);
        assertThat(rows().get(1).ticketsReturned).isEqualTo(1);
        assertThat(rows().get(1).version).isEqualTo(minutes(65));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldDropADayAfterItsRetentionAndIgnoreContributionsArrivingLater(String backend)
            throws Exception {
        open(backend);
        AgencyFact f = fact("TRANSPORT", "GENERAL", 10, false, false, false, "PENDING");
        send(AgencyContribution.add(f, minutes(1)));
        // 2 Nov ends at 16:00 UTC (midnight in Shanghai); retention two days.
        long cleanup = Instant.parse("2026-11-04T16:00:00Z").toEpochMilli();
        harness.processWatermark(cleanup - 1);
        assertThat(rows()).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isEqualTo(1);
        }

        harness.processWatermark(cleanup);
        assertThat(harness.numEventTimeTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }

        send(AgencyContribution.retract(f, days(3)));
        harness.processWatermark(days(4));
        assertThat(rows()).as("a partial row for a dropped day would be wrong").hasSize(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A snapshot between ticks holds the day's aggregate and what waits for the next tick, cached
     * or not: after a restore the next row is as if nothing had happened.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void shouldCarryTheDayAndWhatWaitsThroughASnapshotAndRestore(String variant) throws Exception {
        open(variant);
        AgencyFact f1 = fact("TRANSPORT", "GENERAL", 10, false, false, true, "PENDING");
        AgencyFact f2 = fact("TRANSPORT", "GENERAL", 30, false, false, true, "PENDING");
        AgencyFact f3 = fact("TRANSPORT", "GENERAL", 20, false, false, false, "PENDING");
        send(AgencyContribution.add(f1, minutes(1)));
        send(AgencyContribution.add(f2, minutes(2)));
        send(
                AgencyContribution.add(
                        fact("WATER_AFFAIRS", "GENERAL", 12, false, false, false, "PENDING"),
                        minutes(3)));
        harness.processWatermark(minutes(5));
        send(AgencyContribution.add(f3, minutes(6))); // waits for the tick at 10 minutes
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        assertThat(rows()).hasSize(2);
        harness.close();

        harness = harness(variant);
        harness.initializeState(snapshot);
        harness.open();
        send(AgencyContribution.retract(f1, minutes(7)));
        harness.processWatermark(minutes(10));

        // TRANSPORT now holds f2 and f3: latencies 20 and 30 minutes, one first-dispatch success.
        assertThat(rows())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.agency).isEqualTo("TRANSPORT");
                            assertThat(r.ticketsDispatched).isEqualTo(2);
                            assertThat(r.firstDispatchSuccess).isEqualTo(1);
                            assertThat(r.generalLatencyP50Min).isEqualTo(20.0);
                            assertThat(r.generalLatencyP90Min).isEqualTo(30.0);
                            assertThat(r.version).isEqualTo(minutes(10));
                        });
    }
}
