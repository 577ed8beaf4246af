package io.citypulse.sla;

import static io.citypulse.sla.TicketScript.days;
import static io.citypulse.sla.TicketScript.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.sla.functions.AgencyDailyFunction;
import io.citypulse.sla.functions.AgencyDailyOperator;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.AgencyFact;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * The plain function, in a caching operator ({@code -cached-N}), and in {@link
     * AgencyDailyOperator} ({@code -own-N}: its own heap timers with a cache of N, Flink's
     * without).
     */
    static Stream<String> variants() {
        return Stream.of(
                "heap",
                "rocksdb",
                "rocksdb-cached-1",
                "heap-cached-1",
                "rocksdb-cached-100",
                "rocksdb-own-0",
                "rocksdb-own-1",
                "heap-own-100",
                "rocksdb-own-100");
    }

    /** The operator of the last harness made. */
    private KeyedProcessOperator<Tuple2<String, Integer>, AgencyContribution, AgencyDaily> operator;

    private void open(String variant) throws Exception {
        harness = harness(variant);
        harness.open();
    }

    private KeyedOneInputStreamOperatorTestHarness<
                    Tuple2<String, Integer>, AgencyContribution, AgencyDaily>
            harness(String variant) throws Exception {
        AgencyDailyFunction function =
                new AgencyDailyFunction(SHANGHAI, Duration.ofMinutes(5), Duration.ofDays(2));
        int cached = variant.indexOf("-cached-");
        int own = variant.indexOf("-own-");
        operator =
                cached >= 0
                        ? new CachingKeyedProcessOperator<>(
                                function, Integer.parseInt(variant.substring(cached + 8)))
                        : own >= 0
                                ? new AgencyDailyOperator(
                                        function, Integer.parseInt(variant.substring(own + 5)))
                                : new KeyedProcessOperator<>(function);
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

    /**
     * Snapshots the harness after the pre-barrier step (as a checkpoint does), closes it and opens
     * one of {@code variant} restored from the snapshot; returns the rows written before.
     */
    private List<AgencyDaily> restartAs(String variant) throws Exception {
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        List<AgencyDaily> before = rows();
        harness.close();
        harness = harness(variant);
        harness.initializeState(snapshot);
        harness.open();
        return before;
    }

    /** Pending event-time timers: Flink's, and the operator's own. */
    private int eventTimers() {
        int own = operator instanceof AgencyDailyOperator o ? o.pendingEventTimers() : 0;
        return harness.numEventTimeTimers() + own;
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
        assertThat(eventTimers()).isEqualTo(1);
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isEqualTo(1);
        }

        harness.processWatermark(cleanup);
        assertThat(eventTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }

        send(AgencyContribution.retract(f, days(3)));
        harness.processWatermark(days(4));
        assertThat(rows()).as("a partial row for a dropped day would be wrong").hasSize(1);
        assertThat(eventTimers()).isZero();
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
        assertThat(restartAs(variant)).hasSize(2);
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

    /** Restores across variants whose timers live in different places (all on RocksDB). */
    static Stream<Arguments> restores() {
        return Stream.of(
                // the operator's heap timers, not snapshotted, set again in Flink's queue
                Arguments.of("rocksdb-own-100", "rocksdb-own-0"),
                // and the other way round
                Arguments.of("rocksdb-own-0", "rocksdb-own-1"),
                // a savepoint of the plain function or the caching operator (Flink's timers)
                Arguments.of("rocksdb", "rocksdb-own-100"),
                Arguments.of("rocksdb-cached-1", "rocksdb-own-1"));
    }

    /**
     * Whichever kind of timer took the snapshot and whichever restores it, what waited still goes
     * out at its tick, once, the day is still dropped after its retention, and no timer is left.
     * With a cache, the operator's own index holds the timers and Flink's queue none.
     */
    @ParameterizedTest
    @MethodSource("restores")
    void shouldKeepEveryTimerThroughARestoreIntoAnotherKindOfTimer(String from, String to)
            throws Exception {
        open(from);
        AgencyFact f1 = fact("TRANSPORT", "GENERAL", 10, false, false, true, "PENDING");
        AgencyFact f2 = fact("TRANSPORT", "EMERGENCY", 4, false, false, true, "PENDING");
        send(AgencyContribution.add(f1, minutes(1)));
        harness.processWatermark(minutes(5));
        send(AgencyContribution.add(f2, minutes(6))); // waits for the tick at 10 minutes
        // Clean-up of 2 Nov and the tick at 10 minutes.
        assertThat(eventTimers()).isEqualTo(2);
        if (from.contains("-own-") && !from.endsWith("-own-0")) {
            assertThat(harness.numEventTimeTimers()).as("none in Flink's queue").isZero();
        }
        assertThat(restartAs(to)).hasSize(1);
        if (to.endsWith("-own-0")) {
            assertThat(harness.numEventTimeTimers()).as("set again in Flink's queue").isEqualTo(2);
        } else {
            assertThat(((AgencyDailyOperator) operator).pendingEventTimers())
                    .as("set again in the operator's index")
                    .isEqualTo(2);
        }
        harness.processWatermark(minutes(10));
        assertThat(rows())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.ticketsDispatched).isEqualTo(2);
                            assertThat(r.emergencyLatencyP50Min).isEqualTo(4.0);
                            assertThat(r.version).isEqualTo(minutes(10));
                        });
        if (!to.endsWith("-own-0") && !from.contains("-own-")) {
            // Flink's restored timers fire too, and find nothing to do.
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
        harness.processWatermark(Instant.parse("2026-11-04T16:00:00Z").toEpochMilli());
        assertThat(rows()).as("nothing more to write").hasSize(1);
        assertThat(eventTimers()).isZero();
        // The day was dropped: a contribution to it now starts nothing.
        send(AgencyContribution.retract(f1, days(3)));
        harness.processWatermark(days(4));
        assertThat(rows()).hasSize(1);
        assertThat(eventTimers()).isZero();
    }

    /** One contribution of a random script, in arrival order, with the watermark before it. */
    private record Arrival(AgencyContribution contribution, long watermarkBefore) {}

    /**
     * Random tickets of three agencies on two days: each adds its fact, half of them later retract
     * it and add a revised one; contributions arrive up to 30 minutes after their time while the
     * watermark trails arrivals by 20 minutes, so some are late.
     */
    private static List<Arrival> randomScript(long seed, Map<String, List<AgencyFact>> finalFacts) {
        Random random = new Random(seed);
        String[] agencies = {"TRANSPORT", "WATER_AFFAIRS", "HOUSING"};
        record Timed(AgencyContribution c, long arrival) {}
        List<Timed> timed = new ArrayList<>();
        for (int t = 0; t < 600; t++) {
            String agency = agencies[random.nextInt(agencies.length)];
            int day = NOV_2 + random.nextInt(2);
            String urgency = random.nextInt(4) == 0 ? "EMERGENCY" : "GENERAL";
            AgencyFact first = randomFact(random, agency, day, urgency);
            long t1 = minutes(random.nextInt(36 * 60));
            long arrival = t1 + random.nextInt(30) * MINUTE;
            timed.add(new Timed(AgencyContribution.add(first, t1), arrival));
            AgencyFact last = first;
            if (random.nextBoolean()) {
                AgencyFact revised = randomFact(random, agency, day, urgency);
                long t2 = t1 + random.nextInt(180) * MINUTE;
                long later = Math.max(t2 + random.nextInt(30) * MINUTE, arrival + 1);
                timed.add(new Timed(AgencyContribution.retract(first, t2), later));
                timed.add(new Timed(AgencyContribution.add(revised, t2), later));
                last = revised;
            }
            finalFacts.computeIfAbsent(agency + "/" + day, k -> new ArrayList<>()).add(last);
        }
        // Stable: a ticket's retraction stays before its revised fact.
        timed.sort((a, b) -> Long.compare(a.arrival(), b.arrival()));
        List<Arrival> script = new ArrayList<>();
        for (Timed t : timed) {
            script.add(new Arrival(t.c(), t.arrival() - 20 * MINUTE));
        }
        return script;
    }

    private static AgencyFact randomFact(Random random, String agency, int day, String urgency) {
        String[] resolutions = {"PENDING", "ON_TIME", "LATE", "OPEN_PAST_DUE"};
        return new AgencyFact(
                agency,
                day,
                urgency,
                (1 + random.nextInt(240)) * MINUTE, // repeats: the lists are multisets
                random.nextBoolean(),
                random.nextBoolean(),
                random.nextBoolean(),
                resolutions[random.nextInt(resolutions.length)]);
    }

    /**
     * Every variant writes exactly the rows of the plain function on the heap, for random scripts
     * with late contributions and a snapshot and restore halfway; and each (agency, day)'s last row
     * holds what its tickets' last facts say (counted here directly).
     */
    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L})
    void shouldWriteTheSameRowsInEveryVariantAsTheFactsSay(long seed) throws Exception {
        Map<String, List<AgencyFact>> finalFacts = new HashMap<>();
        List<Arrival> script = randomScript(seed, finalFacts);
        List<AgencyDaily> expected = null;
        for (String variant : variants().toList()) {
            List<AgencyDaily> written = run(variant, script);
            if (expected == null) {
                expected = written;
                assertLastRowsMatch(written, finalFacts);
            } else {
                assertThat(written)
                        .as("rows of %s against the plain function on the heap", variant)
                        .containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    private List<AgencyDaily> run(String variant, List<Arrival> script) throws Exception {
        List<AgencyDaily> written = new ArrayList<>();
        open(variant);
        long watermark = Long.MIN_VALUE;
        for (int i = 0; i < script.size(); i++) {
            Arrival a = script.get(i);
            if (a.watermarkBefore() > watermark) {
                watermark = a.watermarkBefore();
                harness.processWatermark(watermark);
            }
            send(a.contribution());
            if (i == script.size() / 2) {
                written.addAll(restartAs(variant));
            }
        }
        harness.processWatermark(minutes(48 * 60)); // every tick, before any day's retention ends
        written.addAll(rows());
        harness.close();
        harness = null;
        return written;
    }

    private static void assertLastRowsMatch(
            List<AgencyDaily> written, Map<String, List<AgencyFact>> finalFacts) {
        Map<String, AgencyDaily> last = new HashMap<>();
        for (AgencyDaily r : written) {
            String key = r.agency + "/" + LocalDate.parse(r.day).toEpochDay();
            AgencyDaily before = last.get(key);
            if (before == null || r.version > before.version) {
                last.put(key, r);
            }
        }
        assertThat(last.keySet()).isEqualTo(finalFacts.keySet());
        finalFacts.forEach(
                (key, facts) -> {
                    AgencyDaily r = last.get(key);
                    assertThat(r.ticketsDispatched).as(key).isEqualTo(facts.size());
                    assertThat(r.ticketsReturned)
                            .isEqualTo(facts.stream().filter(f -> f.returned).count());
                    assertThat(r.resolvedLate)
                            .isEqualTo(
                                    facts.stream()
                                            .filter(f -> "LATE".equals(f.resolution))
                                            .count());
                    List<Long> general =
                            facts.stream()
                                    .filter(f -> "GENERAL".equals(f.urgency))
                                    .map(f -> f.latencyMs)
                                    .sorted()
                                    .toList();
                    assertThat(r.generalDispatched).isEqualTo(general.size());
                    // nearest rank: the value at rank ceil(0.9 n)
                    int rank90 = (int) Math.ceil(0.9 * general.size());
                    assertThat(r.generalLatencyP90Min)
                            .isEqualTo(general.get(rank90 - 1) / (double) MINUTE);
                });
    }
}
