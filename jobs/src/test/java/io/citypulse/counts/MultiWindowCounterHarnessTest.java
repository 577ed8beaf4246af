package io.citypulse.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MultiWindowCounter} in Flink's operator harness, on the heap and on RocksDB, as a plain
 * process function and in its {@link MultiWindowCounterOperator} with a write-back cache of one key
 * (every key switch evicts and writes back) or of many (nothing reaches the state before a
 * checkpoint), whose event-time timers are its own. Every variant must give the same rows.
 */
class MultiWindowCounterHarnessTest {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** 2026-11-02 08:00 Shanghai: a 5-minute, hour and day boundary is 16:00Z the day before. */
    private static final long HOUR_START = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();

    private static final long DAY_START = Instant.parse("2026-11-01T16:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final String KEY_A = CountFact.key("NOISE", "NOISE-CONSTRUCTION", "Futian");
    private static final String KEY_B = CountFact.key("ROADS", "ROADS-POTHOLE", "Luohu");

    private KeyedOneInputStreamOperatorTestHarness<String, CountFact, CountRow> harness;

    /**
     * @param variant {@code heap} or {@code rocksdb}, optionally followed by {@code -cached-N}: run
     *     in a {@link MultiWindowCounterOperator} caching N keys (0: no cache, Flink's timers)
     */
    private void open(String variant, Duration lateness, Duration partialEvery) throws Exception {
        harness = harness(variant, lateness, partialEvery);
        harness.open();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, CountFact, CountRow> harness(
            String variant, Duration lateness, Duration partialEvery) throws Exception {
        MultiWindowCounter counter = new MultiWindowCounter(2, ZONE, lateness, partialEvery);
        int cached = variant.indexOf("-cached-");
        KeyedProcessOperator<String, CountFact, CountRow> operator =
                cached < 0
                        ? new KeyedProcessOperator<>(counter)
                        : new MultiWindowCounterOperator(
                                counter, Integer.parseInt(variant.substring(cached + 8)));
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, f -> f.key, Types.STRING);
        if (variant.startsWith("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    /**
     * Pending event-time timers: Flink's, plus those of a {@link MultiWindowCounterOperator}'s own
     * index.
     */
    private int eventTimers() {
        int own =
                harness.getOperator() instanceof MultiWindowCounterOperator op
                        ? op.pendingEventTimers()
                        : 0;
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

    private void send(String key, long time, int measures) throws Exception {
        harness.processElement(new StreamRecord<>(new CountFact(key, time, measures), time));
    }

    private List<CountRow> rows() {
        return harness.extractOutputValues();
    }

    private List<String> describe(List<CountRow> rows) {
        return rows.stream()
                .map(
                        r ->
                                r.granularity.suffix()
                                        + " "
                                        + (r.windowStart - HOUR_START) / MIN
                                        + "m "
                                        + r.dimensions()[2]
                                        + " "
                                        + r.counts[0]
                                        + "/"
                                        + r.counts[1]
                                        + (r.isFinal ? " final" : " partial"))
                .toList();
    }

    /** Every backend and cache variant the tests run on (see {@code open}). */
    static Stream<String> variants() {
        return Stream.of(
                "heap",
                "rocksdb",
                "rocksdb-cached-1",
                "heap-cached-1",
                "rocksdb-cached-100",
                "rocksdb-cached-0");
    }

    /**
     * Every variant restored into itself, and savepoints into another cache size: one taken with
     * the cache holds no event-time timers (they were on the heap), so the operator without one
     * must set them again in Flink's timer service.
     */
    static Stream<Arguments> restores() {
        return Stream.concat(
                variants().map(v -> Arguments.of(v, v)),
                Stream.of(
                        Arguments.of("rocksdb-cached-100", "rocksdb-cached-0"),
                        Arguments.of("heap-cached-100", "heap-cached-0"),
                        Arguments.of("rocksdb-cached-1", "rocksdb-cached-0"),
                        Arguments.of("rocksdb-cached-0", "rocksdb-cached-100")));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldCountEachMeasureInAllThreeWindowsAndEmitFinalsOnWatermark(String backend)
            throws Exception {
        open(backend, Duration.ZERO, Duration.ZERO);
        send(KEY_A, HOUR_START + 1 * MIN, 0b01);
        send(KEY_A, HOUR_START + 2 * MIN, 0b11);
        send(KEY_B, HOUR_START + 3 * MIN, 0b10);
        send(KEY_A, HOUR_START + 7 * MIN, 0b01);

        harness.processWatermark(HOUR_START + 5 * MIN - 2);
        assertThat(rows()).isEmpty();

        harness.processWatermark(HOUR_START + 5 * MIN - 1);
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder("5m 0m Futian 2/1 final", "5m 0m Luohu 0/1 final");

        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis());
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 2/1 final",
                        "5m 0m Luohu 0/1 final",
                        "5m 5m Futian 1/0 final",
                        "1h 0m Futian 3/1 final",
                        "1h 0m Luohu 0/1 final",
                        "1d -480m Futian 3/1 final",
                        "1d -480m Luohu 0/1 final");
        assertThat(rows())
                .allSatisfy(r -> assertThat(r.version & MultiWindowCounter.FINAL_BIT).isNotZero());
        assertThat(eventTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldPublishPartialResultsOfChangedOpenWindowsOnlyEveryInterval(String backend)
            throws Exception {
        open(backend, Duration.ZERO, Duration.ofSeconds(10));
        harness.setProcessingTime(1_000);
        send(KEY_A, HOUR_START + MIN, 0b01);
        send(KEY_A, HOUR_START + 2 * MIN, 0b01);
        harness.setProcessingTime(10_999);
        assertThat(rows()).isEmpty();

        harness.setProcessingTime(11_000);
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 2/0 partial",
                        "1h 0m Futian 2/0 partial",
                        "1d -480m Futian 2/0 partial");
        assertThat(rows())
                .allSatisfy(r -> assertThat(r.version & MultiWindowCounter.FINAL_BIT).isZero());

        // Nothing changed: no new partial rows. One more event: a new partial for each window.
        harness.setProcessingTime(30_000);
        assertThat(rows()).hasSize(3);
        send(KEY_A, HOUR_START + 3 * MIN, 0b01);
        harness.setProcessingTime(40_000);
        assertThat(describe(rows().subList(3, rows().size())))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 3/0 partial",
                        "1h 0m Futian 3/0 partial",
                        "1d -480m Futian 3/0 partial");

        // The final row replaces the partial one: same window, higher version.
        harness.processWatermark(HOUR_START + 5 * MIN - 1);
        CountRow fin = rows().get(rows().size() - 1);
        assertThat(describe(List.of(fin))).containsExactly("5m 0m Futian 3/0 final");
        long partialVersion =
                rows().stream()
                        .filter(r -> r.granularity == Granularity.FIVE_MINUTES && !r.isFinal)
                        .mapToLong(r -> r.version)
                        .max()
                        .orElseThrow();
        assertThat(fin.version).isGreaterThan(partialVersion);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldWriteNoPartialRowsForWindowsLongOverOnTheWallClock(String backend) throws Exception {
        // A replay: the wall clock is a day past the events. The 5-minute and hourly windows ended
        // long ago and get only their final rows; the day (ending at DAY_START + 1 d) is still
        // open on the wall clock at HOUR_START + 1 d - 10 s, so it alone has a partial row.
        open(backend, Duration.ZERO, Duration.ofSeconds(10));
        long now = DAY_START + Duration.ofDays(1).toMillis() - 20_000;
        harness.setProcessingTime(now);
        send(KEY_A, HOUR_START + MIN, 0b01);
        send(KEY_A, HOUR_START + 2 * MIN, 0b01);
        harness.setProcessingTime(now + 10_000);
        assertThat(describe(rows())).containsExactly("1d -480m Futian 2/0 partial");

        // Past the day's end too (by more than the interval): another event changes all three
        // windows, none gets a partial row.
        harness.setProcessingTime(now + 30_000);
        send(KEY_A, HOUR_START + 3 * MIN, 0b01);
        harness.setProcessingTime(now + 60_000);
        assertThat(rows()).hasSize(1);

        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis());
        assertThat(describe(rows().subList(1, rows().size())))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 3/0 final",
                        "1h 0m Futian 3/0 final",
                        "1d -480m Futian 3/0 final");
        assertThat(eventTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldUpdateFinalRowsWithinLatenessAndRejectLaterEvents(String backend) throws Exception {
        open(backend, Duration.ofMinutes(60), Duration.ZERO);
        send(KEY_A, HOUR_START + MIN, 0b01);
        harness.processWatermark(HOUR_START + 10 * MIN);
        assertThat(describe(rows())).containsExactly("5m 0m Futian 1/0 final");

        // 9 minutes behind the watermark, within the hour of lateness: the final row is corrected.
        send(KEY_A, HOUR_START + 2 * MIN, 0b01);
        assertThat(describe(rows()))
                .containsExactly("5m 0m Futian 1/0 final", "5m 0m Futian 2/0 final");
        assertThat(rows().get(1).version).isGreaterThan(rows().get(0).version);

        // Past window end + lateness: not counted anywhere, reported on the side output.
        harness.processWatermark(HOUR_START + 65 * MIN);
        send(KEY_A, HOUR_START + 3 * MIN, 0b01);
        assertThat(harness.getSideOutput(MultiWindowCounter.TOO_LATE)).hasSize(1);

        harness.processWatermark(DAY_START + Duration.ofDays(2).toMillis());
        assertThat(describe(rows()))
                .contains("1h 0m Futian 2/0 final", "1d -480m Futian 2/0 final")
                .doesNotContain("1h 0m Futian 3/0 final");
        assertThat(eventTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldSetOnlyCloseTimersAndTheDaysCleanUpAndDropExpiredWindowsOnLaterTimers(String backend)
            throws Exception {
        open(backend, Duration.ofMinutes(60), Duration.ZERO);
        send(KEY_A, HOUR_START + MIN, 0b01);
        send(KEY_A, HOUR_START + 7 * MIN, 0b01);
        // Closes of [0,5), [5,10), the hour and the day, and the day's clean-up.
        assertThat(eventTimers()).isEqualTo(5);

        // [0,5) and [5,10) are past their lateness but still held (no timer of their own); a
        // later window of the key must not publish them again, and they take no more events.
        harness.processWatermark(HOUR_START + 71 * MIN);
        send(KEY_A, HOUR_START + 3 * MIN, 0b01);
        send(KEY_A, HOUR_START + 72 * MIN, 0b01);
        harness.processWatermark(HOUR_START + 75 * MIN - 1);
        assertThat(describe(rows()))
                .containsExactly(
                        "5m 0m Futian 1/0 final",
                        "5m 5m Futian 1/0 final",
                        "1h 0m Futian 2/0 final",
                        "5m 70m Futian 1/0 final");
        assertThat(harness.getSideOutput(MultiWindowCounter.TOO_LATE)).hasSize(1);

        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis() + 60 * MIN - 1);
        assertThat(describe(rows().subList(4, rows().size())))
                .containsExactly("1h 60m Futian 1/0 final", "1d -480m Futian 3/0 final");
        assertThat(eventTimers()).isZero();
        if (backend.startsWith("heap")) {
            assertThat(stateEntries()).isZero();
        }
    }

    /**
     * A snapshot taken between events holds every count made before it, cached or not: restored
     * into a new operator, the counts go on from there. By hand: Futian 1m (both measures once),
     * 2m, 7m, 9m; Luohu 3m, 8m; the snapshot after 7m.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "heap",
                "rocksdb",
                "rocksdb-cached-1",
                "heap-cached-100",
                "rocksdb-cached-100",
                "rocksdb-cached-0"
            })
    void shouldRestoreEveryCountMadeBeforeASnapshot(String variant) throws Exception {
        open(variant, Duration.ZERO, Duration.ZERO);
        send(KEY_A, HOUR_START + 1 * MIN, 0b11);
        send(KEY_A, HOUR_START + 2 * MIN, 0b01);
        send(KEY_B, HOUR_START + 3 * MIN, 0b10);
        send(KEY_A, HOUR_START + 7 * MIN, 0b01);
        // As a task does at a checkpoint barrier: first the pre-barrier step, then the snapshot.
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = harness(variant, Duration.ZERO, Duration.ZERO);
        harness.initializeState(snapshot);
        harness.open();
        send(KEY_B, HOUR_START + 8 * MIN, 0b01);
        send(KEY_A, HOUR_START + 9 * MIN, 0b01);
        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis());
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 2/1 final",
                        "5m 0m Luohu 0/1 final",
                        "5m 5m Futian 2/0 final",
                        "5m 5m Luohu 1/0 final",
                        "1h 0m Futian 4/1 final",
                        "1h 0m Luohu 1/1 final",
                        "1d -480m Futian 4/1 final",
                        "1d -480m Luohu 1/1 final");
    }

    /**
     * A restore after a watermark passed some windows: the windows already final are not published
     * again, and every window still open, or still within its lateness, closes and takes late
     * events as without the restore. By hand, lateness 10 minutes: Futian 1m, 7m; Luohu 3m; the
     * watermark at 6m closes both [0,5) windows; snapshot; then Futian 4m (late, within lateness: a
     * corrected final at once), Luohu 8m; the end of the day. Restored into the same variant or
     * into another cache size ({@link #restores()}).
     */
    @ParameterizedTest
    @MethodSource("restores")
    void shouldNeitherRepeatNorLoseAWindowsFinalRowAcrossARestore(String from, String to)
            throws Exception {
        Duration lateness = Duration.ofMinutes(10);
        open(from, lateness, Duration.ZERO);
        send(KEY_A, HOUR_START + 1 * MIN, 0b01);
        send(KEY_A, HOUR_START + 7 * MIN, 0b01);
        send(KEY_B, HOUR_START + 3 * MIN, 0b01);
        harness.processWatermark(HOUR_START + 6 * MIN);
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder("5m 0m Futian 1/0 final", "5m 0m Luohu 1/0 final");
        // The rows a watermark makes final go downstream before that watermark does.
        assertThat(harness.getOutput()).last().isEqualTo(new Watermark(HOUR_START + 6 * MIN));
        harness.prepareSnapshotPreBarrier(1L);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = harness(to, lateness, Duration.ZERO);
        harness.initializeState(snapshot);
        harness.open();
        send(KEY_A, HOUR_START + 4 * MIN, 0b01);
        send(KEY_B, HOUR_START + 8 * MIN, 0b01);
        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis() + 10 * MIN);
        assertThat(describe(rows()))
                .containsExactlyInAnyOrder(
                        "5m 0m Futian 2/0 final",
                        "5m 5m Futian 1/0 final",
                        "5m 5m Luohu 1/0 final",
                        "1h 0m Futian 3/0 final",
                        "1h 0m Luohu 2/0 final",
                        "1d -480m Futian 3/0 final",
                        "1d -480m Luohu 2/0 final");
        assertThat(eventTimers()).isZero();
    }

    /**
     * The operator's own timers against Flink's, in lockstep on random input: the plain counter on
     * the heap backend (Flink's timer service holds a (time, key) once) and the operator get the
     * same facts and watermarks, and must hold the same number of pending timers after every
     * watermark and emit the same rows. The input makes timers coincide: many facts in the last
     * minutes of an hour (a 5-minute window ending with its hour) and of a day, lateness 30 minutes
     * (a day's clean-up at the end of the next day's 00:25 window) or none; out of order by up to
     * 40 minutes, so late facts open windows behind the watermark; snapshots and restores along the
     * way, each right after a watermark. (Not between a late fact and the next watermark: the timer
     * such a fact sets at its window's end, behind the watermark, is in Flink's snapshot but not in
     * the operator's, which sets again only the timers after the watermark. It would only write the
     * final row that the late fact wrote already, once more.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"rocksdb-cached-1", "heap-cached-100", "rocksdb-cached-100"})
    void shouldFireItsOwnTimersAsFlinksWouldOnRandomInput(String variant) throws Exception {
        String[] keys = {
            KEY_A, KEY_B, CountFact.key("WATER", "WATER-LEAK", "Nanshan"),
        };
        for (int seed = 0; seed < 6; seed++) {
            // The last two seeds without lateness: a day's clean-up is then its close.
            Duration lateness = Duration.ofMinutes(seed < 4 ? 30 : 0);
            java.util.Random random = new java.util.Random(seed);
            var plain = harness("heap", lateness, Duration.ZERO);
            var own = harness(variant, lateness, Duration.ZERO);
            plain.open();
            own.open();
            List<CountRow> plainRows = new java.util.ArrayList<>();
            List<CountRow> ownRows = new java.util.ArrayList<>();
            long latest = DAY_START;
            long watermark = Long.MIN_VALUE;
            int lateFacts = 0;
            int restores = 0;
            for (int i = 0; i < 1_500; i++) {
                // Mostly forward in steps of up to 4 minutes; a fifth of the facts land in an
                // hour's last 5 minutes; one in ten goes back up to 40 minutes.
                latest += random.nextInt(4 * (int) MIN);
                long t = latest;
                if (random.nextInt(5) == 0) {
                    t =
                            t
                                    - Math.floorMod(t - DAY_START, 60 * MIN)
                                    + 55 * MIN
                                    + random.nextInt(5 * (int) MIN);
                }
                if (random.nextInt(10) == 0) {
                    t -= random.nextInt(40 * (int) MIN);
                }
                lateFacts += t <= watermark ? 1 : 0;
                CountFact fact =
                        new CountFact(keys[random.nextInt(keys.length)], t, 1 + random.nextInt(3));
                plain.processElement(new StreamRecord<>(fact, t));
                own.processElement(
                        new StreamRecord<>(new CountFact(fact.key, fact.time, fact.measures), t));
                if (random.nextInt(6) != 0) {
                    continue;
                }
                watermark = Math.max(watermark, latest - 10 * MIN);
                plain.processWatermark(watermark);
                own.processWatermark(watermark);
                assertThat(pendingTimers(own))
                        .as("seed %d fact %d", seed, i)
                        .isEqualTo(pendingTimers(plain));
                if (i / 400 > restores) {
                    restores++;
                    plainRows.addAll(plain.extractOutputValues());
                    ownRows.addAll(own.extractOutputValues());
                    own.prepareSnapshotPreBarrier(i);
                    var plainSnapshot = plain.snapshot(i, i);
                    var ownSnapshot = own.snapshot(i, i);
                    plain.close();
                    own.close();
                    plain = harness("heap", lateness, Duration.ZERO);
                    own = harness(variant, lateness, Duration.ZERO);
                    plain.initializeState(plainSnapshot);
                    own.initializeState(ownSnapshot);
                    plain.open();
                    own.open();
                    plain.processWatermark(watermark);
                    own.processWatermark(watermark);
                    assertThat(pendingTimers(own))
                            .as("seed %d restored at %d", seed, i)
                            .isEqualTo(pendingTimers(plain));
                }
            }
            plain.processWatermark(Long.MAX_VALUE);
            own.processWatermark(Long.MAX_VALUE);
            plainRows.addAll(plain.extractOutputValues());
            ownRows.addAll(own.extractOutputValues());
            assertThat(lateFacts).as("seed %d: facts behind the watermark", seed).isGreaterThan(20);
            assertThat(restores).isEqualTo(3);
            assertThat(plainRows).hasSizeGreaterThan(1_000);
            assertThat(sortedLines(ownRows)).as("seed %d", seed).isEqualTo(sortedLines(plainRows));
            assertThat(pendingTimers(own)).isZero();
            plain.close();
            own.close();
        }
    }

    private static int pendingTimers(
            KeyedOneInputStreamOperatorTestHarness<String, CountFact, CountRow> h) {
        int own =
                h.getOperator() instanceof MultiWindowCounterOperator op
                        ? op.pendingEventTimers()
                        : 0;
        return h.numEventTimeTimers() + own;
    }

    /**
     * Every row as text, version left out, sorted: the order of keys due at one time may differ.
     */
    private static List<String> sortedLines(List<CountRow> rows) {
        return rows.stream()
                .map(
                        r ->
                                r.granularity
                                        + " "
                                        + r.windowStart
                                        + " "
                                        + r.key
                                        + " "
                                        + java.util.Arrays.toString(r.counts)
                                        + " "
                                        + r.isFinal)
                .sorted()
                .toList();
    }

    /**
     * Random facts over three days for three keys, out of order by up to 90 minutes, lateness 30
     * minutes, the watermark stepped now and then to 20 minutes behind the latest fact. The oracle
     * puts every fact into its 5-minute window, its hour and its local day (Shanghai, 8 hours ahead
     * of UTC, so 5-minute windows and hours fall on UTC's boundaries and days on 16:00Z), and
     * refuses a fact exactly when the watermark had passed its 5-minute window's end plus the
     * lateness. The newest final row of every (window, key) must hold the oracle's counts, and the
     * refused facts must all reach {@link MultiWindowCounter#TOO_LATE}. A key's windows stay in its
     * state until its day's clean-up, so the counter searches, closes and reuses many entries per
     * key here.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void shouldCountEveryWindowLikeAnOracleOnRandomInput(String variant) throws Exception {
        long lateness = 30 * MIN;
        open(variant, Duration.ofMillis(lateness), Duration.ZERO);
        String[] keys = {KEY_A, KEY_B, CountFact.key("WATER", "WATER-LEAK", "Nanshan")};
        long fiveMinutes = 5 * MIN;
        long hour = 60 * MIN;
        long day = 24 * hour;
        long offset = 8 * hour;
        java.util.Random random = new java.util.Random(42);
        java.util.Map<String, long[]> expected = new java.util.TreeMap<>();
        int refused = 0;
        long watermark = Long.MIN_VALUE;
        long cursor = DAY_START;
        for (int i = 0; i < 3000; i++) {
            cursor += random.nextInt(3) * MIN;
            long t = random.nextInt(5) == 0 ? cursor - random.nextInt(90) * MIN : cursor;
            String key = keys[random.nextInt(keys.length)];
            int measures = 1 + random.nextInt(3);
            long fiveStart = Math.floorDiv(t, fiveMinutes) * fiveMinutes;
            if (watermark >= fiveStart + fiveMinutes - 1 + lateness) {
                refused++;
            } else {
                long[] starts = {
                    fiveStart,
                    Math.floorDiv(t, hour) * hour,
                    Math.floorDiv(t + offset, day) * day - offset
                };
                String[] names = {"5m", "1h", "1d"};
                for (int g = 0; g < 3; g++) {
                    long[] counts =
                            expected.computeIfAbsent(
                                    names[g] + " " + starts[g] + " " + key, k -> new long[2]);
                    counts[0] += measures & 1;
                    counts[1] += (measures >> 1) & 1;
                }
            }
            send(key, t, measures);
            if (random.nextInt(10) == 0 && cursor - 20 * MIN > watermark) {
                watermark = cursor - 20 * MIN;
                harness.processWatermark(watermark);
            }
        }
        harness.processWatermark(Long.MAX_VALUE);

        java.util.Map<String, CountRow> newest = new java.util.TreeMap<>();
        for (CountRow r : rows()) {
            assertThat(r.isFinal).isTrue();
            newest.merge(
                    r.granularity.suffix() + " " + r.windowStart + " " + r.key,
                    r,
                    (a, b) -> a.version >= b.version ? a : b);
        }
        java.util.Map<String, String> counted = new java.util.TreeMap<>();
        newest.forEach((k, r) -> counted.put(k, java.util.Arrays.toString(r.counts)));
        java.util.Map<String, String> oracle = new java.util.TreeMap<>();
        expected.forEach((k, c) -> oracle.put(k, java.util.Arrays.toString(c)));
        assertThat(oracle).hasSizeGreaterThan(1500);
        assertThat(refused).isGreaterThan(20);
        assertThat(counted).isEqualTo(oracle);
        assertThat(harness.getSideOutput(MultiWindowCounter.TOO_LATE)).hasSize(refused);
    }

    /**
     * On the heap an expired window's entry is reused by the key's next new window; its old counts
     * must not carry over, and the state written back holds only live windows. By hand, lateness 10
     * minutes, Futian and Luohu each at 1m, 7m, 13m, 19m, 25m, the watermark 5 minutes after each:
     * [0,5) expires with the close at 15m and [15,20) takes its entry; [5,10) expires at 20m and
     * [25,30) takes its entry; at 30m [10,15) and [15,20) expire. Each 5-minute window counts 1,
     * the hour and the day 5; the state of each key then holds [25,30), the hour and the day: 1 + 3
     * x 7 longs (2 measures), none marked expired.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void shouldReuseExpiredWindowsEntriesAndWriteOnlyLiveOnesToTheState(String variant)
            throws Exception {
        open(variant, Duration.ofMinutes(10), Duration.ZERO);
        for (int minute = 1; minute <= 25; minute += 6) {
            send(KEY_A, HOUR_START + minute * MIN, 0b01);
            send(KEY_B, HOUR_START + minute * MIN, 0b01);
            harness.processWatermark(HOUR_START + (minute + 5) * MIN);
        }
        harness.prepareSnapshotPreBarrier(1L);
        var backend =
                ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>)
                                harness.getOperator())
                        .getKeyedStateBackend();
        for (String key : List.of(KEY_A, KEY_B)) {
            backend.setCurrentKey(key);
            long[] state =
                    backend.getPartitionedState(
                                    org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                    org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                                    new MultiWindowCounter(2, ZONE, Duration.ZERO, Duration.ZERO)
                                            .windowsDescriptor())
                            .value();
            assertThat(state).hasSize(1 + 3 * 7);
            for (int entry = 1; entry < state.length; entry += 7) {
                assertThat(state[entry]).isBetween(0L, 2L);
            }
        }

        harness.processWatermark(DAY_START + Duration.ofDays(1).toMillis() + 10 * MIN);
        for (String district : List.of("Futian", "Luohu")) {
            assertThat(
                            describe(rows()).stream()
                                    .filter(r -> r.contains(" " + district + " "))
                                    .toList())
                    .containsExactly(
                            "5m 0m " + district + " 1/0 final",
                            "5m 5m " + district + " 1/0 final",
                            "5m 10m " + district + " 1/0 final",
                            "5m 15m " + district + " 1/0 final",
                            "5m 25m " + district + " 1/0 final",
                            "1h 0m " + district + " 5/0 final",
                            "1d -480m " + district + " 5/0 final");
        }
        assertThat(eventTimers()).isZero();
    }
}
