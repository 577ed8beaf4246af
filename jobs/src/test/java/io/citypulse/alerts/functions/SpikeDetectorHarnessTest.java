package io.citypulse.alerts.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.alerts.detector.SeriesModel;
import io.citypulse.alerts.records.WeeklyRow;
import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertScope;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.avro.NamedCount;
import io.citypulse.common.CachingKeyedBroadcastOperator;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector and alert lifecycle in Flink's keyed-broadcast harness, on the heap and on RocksDB,
 * each as Flink's own operator and through {@link CachingKeyedBroadcastOperator} with its cache of
 * decoded states.
 *
 * <p>The city here is hand-made and noise-free so every expectation can be worked out by hand:
 * category WATER has two items in two districts, each exactly one ticket every 5 minutes (12 an
 * hour, 24 for the category), from Monday 00:00 local. After two days of that, the baseline of
 * every hour is exactly what was seen; a surge is then unmistakable and a return to the usual rate
 * is unmistakably normal.
 */
class SpikeDetectorHarnessTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long MONDAY =
            ZonedDateTime.of(2026, 10, 5, 0, 0, 0, 0, ZONE).toInstant().toEpochMilli();
    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long STEP = 5 * MIN;

    /** Wednesday 10:00, after two full days of history. */
    static final long SURGE = MONDAY + 2 * 24 * HOUR + 10 * HOUR;

    static final String PIPE = "WATER-PIPE-BURST";
    static final String METER = "WATER-METER";

    static AlertRules rules() {
        return new AlertRules(
                io.citypulse.alerts.detector.DetectorSettings.DEFAULTS,
                ZONE,
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofHours(24),
                3,
                1.5,
                Map.of("WATER", "供水"),
                false);
    }

    static final class Harness implements AutoCloseable {
        final KeyedBroadcastOperatorTestHarness<String, Signal, Long, HotspotAlert> h;
        long watermark = Long.MIN_VALUE;

        Harness(String variant, AlertRules rules) throws Exception {
            this(variant, rules, null);
        }

        /**
         * @param variant {@code heap} or {@code rocksdb}, with {@code -cached} through the {@link
         *     CachingKeyedBroadcastOperator} and its cache of decoded states
         * @param restoreFrom a snapshot to restore, or null
         */
        Harness(String variant, AlertRules rules, OperatorSubtaskState restoreFrom)
                throws Exception {
            SpikeDetector detector = new SpikeDetector(rules);
            h =
                    new KeyedBroadcastOperatorTestHarness<>(
                            variant.endsWith("-cached")
                                    ? new CachingKeyedBroadcastOperator<>(
                                            detector, List.of(SpikeDetector.HORIZON), 64)
                                    : new CoBroadcastWithKeyedOperator<>(
                                            detector, List.of(SpikeDetector.HORIZON)),
                            s -> s.categoryMajor,
                            Types.STRING,
                            1,
                            1,
                            0);
            if (variant.startsWith("rocksdb")) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            if (restoreFrom != null) {
                h.initializeState(restoreFrom);
            }
            h.open();
        }

        /** From {@code from} to {@code to}: ten pipe bursts in Futian per 5 minutes (x10). */
        void surge(long from, long to) throws Exception {
            for (long t = from; t < to; t += STEP) {
                for (int i = 0; i < 10; i++) {
                    ticket(t + MIN + i * 1000, PIPE, "Futian");
                }
                ticket(t + 2 * MIN, METER, "Luohu");
                advance(t + STEP - 1);
            }
        }

        void ticket(long t, String item, String district) throws Exception {
            h.processElement(
                    new Signal(Signal.TICKET_CREATED, t, "WATER", item, district, "Street-" + item),
                    t);
        }

        void lead(long t, String item, String fingerprint) throws Exception {
            h.processElement(
                    new Signal(Signal.LEAD_CAPTURED, t, "WATER", item, "", fingerprint), t);
        }

        /** The usual city from {@code from} to {@code to}: each item one ticket per 5 minutes. */
        void usual(long from, long to) throws Exception {
            for (long t = from; t < to; t += STEP) {
                ticket(t + MIN, PIPE, "Futian");
                ticket(t + 2 * MIN, METER, "Luohu");
                advance(t + STEP - 1);
            }
        }

        void advance(long wm) throws Exception {
            if (wm > watermark) {
                watermark = wm;
                h.watermark(wm);
            }
        }

        List<HotspotAlert> alerts() {
            return h.extractOutputValues();
        }

        List<WeeklyRow> weekly() {
            List<WeeklyRow> out = new ArrayList<>();
            var q = h.getSideOutput(SpikeDetector.WEEKLY);
            if (q != null) {
                for (StreamRecord<WeeklyRow> r : q) {
                    out.add(r.getValue());
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            h.close();
        }
    }

    static Stream<String> variants() {
        return Stream.of("heap", "rocksdb", "heap-cached", "rocksdb-cached");
    }

    static List<HotspotAlert> of(List<HotspotAlert> alerts, AlertState state) {
        return alerts.stream().filter(a -> a.getState() == state).toList();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aSurgeOpensOneAlertWithEvidenceAndResolvesAfterAnHourOfNormal(String backend)
            throws Exception {
        try (Harness h = new Harness(backend, rules())) {
            h.usual(MONDAY, SURGE);
            assertThat(h.alerts()).as("two calm days raise nothing").isEmpty();
            // One hour at ten pipe bursts in Futian per 5 minutes (the item's rate x10).
            for (long t = SURGE; t < SURGE + HOUR; t += STEP) {
                for (int i = 0; i < 10; i++) {
                    h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                }
                h.ticket(t + 2 * MIN, METER, "Luohu");
                h.advance(t + STEP - 1);
            }
            h.usual(SURGE + HOUR, SURGE + 4 * HOUR);

            List<HotspotAlert> opened = of(h.alerts(), AlertState.OPENED);
            // The category rises 5.5x, the pipe item and Futian 10x: the category opens, and the
            // concentrated children add information (10 >= 1.5 x 5.5) so they open too, linked.
            assertThat(opened)
                    .extracting(HotspotAlert::getScope)
                    .containsExactlyInAnyOrder(
                            AlertScope.CATEGORY, AlertScope.ITEM, AlertScope.DISTRICT);
            HotspotAlert category =
                    opened.stream()
                            .filter(a -> a.getScope() == AlertScope.CATEGORY)
                            .findFirst()
                            .get();
            assertThat(category.getOpenedAt().toEpochMilli() - SURGE)
                    .as("detected within 15 minutes")
                    .isBetween(0L, 15 * MIN);
            assertThat(category.getTopItems().get(0))
                    .isEqualTo(new NamedCount(PIPE, category.getTopItems().get(0).getCount()));
            assertThat(category.getTopStreets().get(0).getName()).isEqualTo("Street-" + PIPE);
            assertThat(category.getTicketObserved())
                    .isGreaterThan(3 * (long) category.getTicketExpected());
            assertThat(category.getSummaryZh()).startsWith("【新预警】供水");
            assertThat(category.getSummaryEn()).startsWith("New alert: WATER.");
            for (HotspotAlert child : opened) {
                if (child.getScope() != AlertScope.CATEGORY
                        && !child.getOpenedAt().isBefore(category.getOpenedAt())) {
                    // Opened while the category's alert was open: it refines that alert.
                    assertThat(child.getParentAlertId()).isEqualTo(category.getAlertId());
                }
            }

            List<HotspotAlert> resolved = of(h.alerts(), AlertState.RESOLVED);
            assertThat(resolved).hasSize(3);
            for (HotspotAlert r : resolved) {
                // Back to normal at SURGE + 1h (the 30-minute and hour windows still hold the
                // surge for a while); resolved after an hour of normal, not before.
                assertThat(r.getEventTime().toEpochMilli())
                        .isGreaterThanOrEqualTo(SURGE + 2 * HOUR);
                assertThat(r.getEventTime().toEpochMilli()).isLessThanOrEqualTo(SURGE + 4 * HOUR);
            }
            // Revisions of each alert count up from 0 without gaps.
            for (HotspotAlert o : opened) {
                List<Integer> revisions =
                        h.alerts().stream()
                                .filter(a -> a.getAlertId().equals(o.getAlertId()))
                                .map(HotspotAlert::getRevision)
                                .toList();
                for (int i = 0; i < revisions.size(); i++) {
                    assertThat(revisions.get(i)).isEqualTo(i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aCategoryWideSurgeDoesNotRaiseChildAlertsThatAddNothing(String backend) throws Exception {
        try (Harness h = new Harness(backend, rules())) {
            h.usual(MONDAY, SURGE);
            // Both items x5: the children rise exactly as the category does.
            for (long t = SURGE; t < SURGE + HOUR; t += STEP) {
                for (int i = 0; i < 5; i++) {
                    h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                    h.ticket(t + 2 * MIN + i * 1000, METER, "Luohu");
                }
                h.advance(t + STEP - 1);
            }
            h.usual(SURGE + HOUR, SURGE + 3 * HOUR);
            assertThat(of(h.alerts(), AlertState.OPENED))
                    .extracting(HotspotAlert::getScope)
                    .containsExactly(AlertScope.CATEGORY);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void anAlertDoesNotFlapWhileTheSurgeComesAndGoes(String backend) throws Exception {
        try (Harness h = new Harness(backend, rules())) {
            h.usual(MONDAY, SURGE);
            // Three surges of 30 minutes with 30 calm minutes between: one episode.
            long t = SURGE;
            for (int round = 0; round < 3; round++) {
                for (long end = t + 30 * MIN; t < end; t += STEP) {
                    for (int i = 0; i < 5; i++) {
                        h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                        h.ticket(t + 2 * MIN + i * 1000, METER, "Luohu");
                    }
                    h.advance(t + STEP - 1);
                }
                h.usual(t, t + 30 * MIN);
                t += 30 * MIN;
            }
            h.usual(t, t + 3 * HOUR);
            List<HotspotAlert> all = h.alerts();
            assertThat(of(all, AlertState.OPENED)).hasSize(1);
            assertThat(of(all, AlertState.RESOLVED)).hasSize(1);
            assertThat(all.stream().map(HotspotAlert::getAlertId).distinct()).hasSize(1);
            assertThat(of(all, AlertState.RESOLVED).get(0).getEventTime().toEpochMilli())
                    .as("resolved only after the last surge and an hour of calm")
                    .isGreaterThanOrEqualTo(SURGE + 3 * HOUR);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void leadsRaiseTheAlertFirstAndTheTicketsJoinTheSameAlert(String backend) throws Exception {
        try (Harness h = new Harness(backend, rules())) {
            // The usual city, with one lead an hour about pipes.
            for (long t = MONDAY; t < SURGE - HOUR; t += HOUR) {
                h.lead(t + 30 * MIN, PIPE, "fp-" + t);
                h.usual(t, t + HOUR);
            }
            // An hour of posts first (three distinct posts every 5 minutes, each reposted on
            // three platforms: 36 posts an hour against the usual one), then tickets.
            long t = SURGE - HOUR;
            for (; t < SURGE; t += STEP) {
                for (int post = 0; post < 3; post++) {
                    for (int copy = 0; copy < 3; copy++) {
                        h.lead(t + MIN + post * 1000 + copy, PIPE, "post-" + t + "-" + post);
                    }
                }
                h.ticket(t + MIN, PIPE, "Futian");
                h.ticket(t + 2 * MIN, METER, "Luohu");
                h.advance(t + STEP - 1);
            }
            for (; t < SURGE + HOUR; t += STEP) {
                for (int i = 0; i < 6; i++) {
                    h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                    h.ticket(t + 2 * MIN + i * 1000, METER, "Luohu");
                }
                h.lead(t + 3 * MIN, PIPE, "post-" + t);
                h.advance(t + STEP - 1);
            }
            List<HotspotAlert> category =
                    h.alerts().stream().filter(a -> a.getScope() == AlertScope.CATEGORY).toList();
            HotspotAlert first = category.get(0);
            assertThat(first.getState()).isEqualTo(AlertState.OPENED);
            assertThat(first.getLeadDriven()).isTrue();
            assertThat(first.getTicketsElevated()).isFalse();
            assertThat(first.getOpenedAt().toEpochMilli()).isLessThan(SURGE);
            assertThat(first.getLeadFingerprints())
                    .isNotEmpty()
                    .allMatch(f -> f.startsWith("post-"));
            assertThat(first.getSummaryEn()).contains("internet leads");
            HotspotAlert joined =
                    category.stream().filter(HotspotAlert::getTicketsElevated).findFirst().get();
            assertThat(joined.getAlertId()).isEqualTo(first.getAlertId());
            assertThat(joined.getState()).isEqualTo(AlertState.UPDATED);
            assertThat(joined.getLeadDriven()).isTrue();
            assertThat(of(category, AlertState.OPENED)).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aSurgeThatStaysIsEscalatedToCaseCategoryTreatment(String backend) throws Exception {
        AlertRules r = rules();
        AlertRules quick =
                new AlertRules(
                        r.detector(),
                        r.zone(),
                        r.updateEvery(),
                        r.resolveAfter(),
                        Duration.ofHours(3),
                        r.escalateDays(),
                        r.concentration(),
                        r.majorNamesZh(),
                        false);
        try (Harness h = new Harness(backend, quick)) {
            h.usual(MONDAY, SURGE);
            for (long t = SURGE; t < SURGE + 4 * HOUR; t += STEP) {
                for (int i = 0; i < 5; i++) {
                    h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                    h.ticket(t + 2 * MIN + i * 1000, METER, "Luohu");
                }
                h.advance(t + STEP - 1);
            }
            List<HotspotAlert> escalated = of(h.alerts(), AlertState.ESCALATED);
            assertThat(escalated).hasSize(1);
            HotspotAlert e = escalated.get(0);
            assertThat(e.getLevel()).isEqualTo(AlertLevel.CASE_CATEGORY);
            assertThat(e.getEventTime().toEpochMilli() - e.getOpenedAt().toEpochMilli())
                    .isEqualTo(3 * HOUR);
            assertThat(e.getSummaryZh()).contains("类案治理");
            // Updates in between are rate-limited to one an hour.
            assertThat(of(h.alerts(), AlertState.UPDATED)).hasSizeBetween(1, 3);
            // The week's candidate row names the category.
            h.h.processBroadcastElement(SURGE + 4 * HOUR - 1, SURGE + 4 * HOUR - 1);
            h.advance(Long.MAX_VALUE);
            List<WeeklyRow> weekly = h.weekly();
            WeeklyRow last = weekly.get(weekly.size() - 1);
            assertThat(last.categoryMajor).isEqualTo("WATER");
            assertThat(last.escalated).isTrue();
            assertThat(last.alerts).isEqualTo(1);
            assertThat(last.excessTickets).isGreaterThan(4 * 24 * 3); // x6 for 4 h: 120/h extra
            assertThat(last.topItems).contains(PIPE).contains(METER);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theSameInputYieldsTheSameAlertsWithTheSameIds(String backend) throws Exception {
        List<List<HotspotAlert>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (Harness h = new Harness(backend, rules())) {
                h.usual(MONDAY, SURGE);
                for (long t = SURGE; t < SURGE + HOUR; t += STEP) {
                    for (int i = 0; i < 8; i++) {
                        h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                    }
                    h.advance(t + STEP - 1);
                }
                h.usual(SURGE + HOUR, SURGE + 3 * HOUR);
                runs.add(h.alerts());
            }
        }
        assertThat(runs.get(0)).isNotEmpty().isEqualTo(runs.get(1));
        HotspotAlert category =
                runs.get(0).stream()
                        .filter(a -> a.getScope() == AlertScope.CATEGORY)
                        .findFirst()
                        .get();
        assertThat(category.getAlertId())
                .isEqualTo(
                        SpikeDetector.alertId("WATER", "C", category.getOpenedAt().toEpochMilli()));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theEndOfABoundedInputIsNotACalm(String backend) throws Exception {
        try (Harness h = new Harness(backend, rules())) {
            h.usual(MONDAY, SURGE);
            for (long t = SURGE; t < SURGE + HOUR; t += STEP) {
                for (int i = 0; i < 8; i++) {
                    h.ticket(t + MIN + i * 1000, PIPE, "Futian");
                }
                h.advance(t + STEP - 1);
            }
            h.h.processBroadcastElement(SURGE + HOUR - 1, SURGE + HOUR - 1);
            h.advance(Long.MAX_VALUE);
            assertThat(of(h.alerts(), AlertState.OPENED)).isNotEmpty();
            assertThat(of(h.alerts(), AlertState.RESOLVED))
                    .as("no data after the input's end is not a return to normal")
                    .isEmpty();
            assertThat(h.h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * Stopped with a snapshot in the middle of a surge (an alert open, the evidence and rings
     * mid-hour, half of the next bucket's signals pending) and restored: the alerts before and
     * after together are the ones an uninterrupted run writes, record for record.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void aRestoreInTheMiddleOfASurgeWritesWhatAnUninterruptedRunWrites(String variant)
            throws Exception {
        List<HotspotAlert> uninterrupted;
        try (Harness h = new Harness("heap", rules())) {
            h.usual(MONDAY, SURGE);
            h.surge(SURGE, SURGE + HOUR);
            h.usual(SURGE + HOUR, SURGE + 4 * HOUR);
            uninterrupted = h.alerts();
        }
        assertThat(of(uninterrupted, AlertState.OPENED)).isNotEmpty();

        OperatorSubtaskState snapshot;
        List<HotspotAlert> alerts = new ArrayList<>();
        long next = SURGE + 30 * MIN;
        try (Harness h = new Harness(variant, rules())) {
            h.usual(MONDAY, SURGE);
            h.surge(SURGE, next);
            // Half of the next bucket's bursts arrive before the snapshot, ahead of the watermark.
            for (int i = 0; i < 5; i++) {
                h.ticket(next + MIN + i * 1000, PIPE, "Futian");
            }
            h.h.prepareSnapshotPreBarrier(1L);
            snapshot = h.h.snapshot(1L, 1L);
            alerts.addAll(h.alerts());
        }
        assertThat(of(alerts, AlertState.OPENED)).as("open at the snapshot").isNotEmpty();
        try (Harness h = new Harness(variant, rules(), snapshot)) {
            for (int i = 5; i < 10; i++) {
                h.ticket(next + MIN + i * 1000, PIPE, "Futian");
            }
            h.ticket(next + 2 * MIN, METER, "Luohu");
            h.advance(next + STEP - 1);
            h.surge(next + STEP, SURGE + HOUR);
            h.usual(SURGE + HOUR, SURGE + 4 * HOUR);
            alerts.addAll(h.alerts());
        }
        assertThat(alerts).isEqualTo(uninterrupted);
    }

    /**
     * What a snapshot taken with the cache holds is what the plain function keeps: the same input,
     * run with and without the cache up to the middle of a surge (an alert open, models learned for
     * two days and a half, signals pending ahead of the watermark), snapshotted, and each snapshot
     * restored into the plain function on the same backend: the category's next step, series
     * models, pending signals and encoded state are the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aSnapshotTakenWithTheCacheHoldsWhatThePlainFunctionKeeps(String backend) throws Exception {
        Kept plain = keptAfterARestore(backend, backend);
        Kept cached = keptAfterARestore(backend + "-cached", backend);

        assertThat(plain.nextStep()).as("next step").isNotNull();
        // Tickets only: the category, its two items and its two districts.
        assertThat(plain.models()).as("models").hasSize(5);
        assertThat(plain.pending()).as("pending").hasSize(5);
        assertThat(cached.nextStep()).isEqualTo(plain.nextStep());
        assertThat(cached.models()).usingRecursiveComparison().isEqualTo(plain.models());
        assertThat(cached.pending())
                .usingRecursiveComparison()
                .ignoringCollectionOrder()
                .isEqualTo(plain.pending());
        assertThat(cached.major()).isEqualTo(plain.major());
    }

    /** The keyed state of WATER as the plain function reads it. */
    record Kept(
            Long nextStep, Map<String, SeriesModel> models, List<Signal> pending, byte[] major) {}

    private static Kept keptAfterARestore(String runAs, String restoreAs) throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = new Harness(runAs, rules())) {
            h.usual(MONDAY, SURGE);
            h.surge(SURGE, SURGE + 30 * MIN);
            for (int i = 0; i < 5; i++) {
                h.ticket(SURGE + 31 * MIN + i * 1000, PIPE, "Futian");
            }
            h.h.prepareSnapshotPreBarrier(1L);
            snapshot = h.h.snapshot(1L, 1L);
        }
        try (Harness h = new Harness(restoreAs, rules(), snapshot)) {
            var op = h.h.getOperator();
            op.setCurrentKey("WATER");
            KeyedStateBackend<Object> states = op.getKeyedStateBackend();
            Long nextStep =
                    states.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    new ValueStateDescriptor<>("next-step", Types.LONG))
                            .value();
            Map<String, SeriesModel> models = new HashMap<>();
            for (Map.Entry<String, SeriesModel> e :
                    states.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    new MapStateDescriptor<>(
                                            "series-models",
                                            Types.STRING,
                                            TypeInformation.of(SeriesModel.class)))
                            .entries()) {
                models.put(e.getKey(), e.getValue());
            }
            List<Signal> pending = new ArrayList<>();
            Iterable<Signal> signals =
                    states.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    new ListStateDescriptor<>(
                                            "pending-signals", TypeInformation.of(Signal.class)))
                            .get();
            signals.forEach(pending::add);
            byte[] major =
                    states.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    new ValueStateDescriptor<>(
                                            "major",
                                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
                            .value();
            return new Kept(nextStep, models, pending, major);
        }
    }
}
