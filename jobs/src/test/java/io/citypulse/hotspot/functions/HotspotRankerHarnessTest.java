package io.citypulse.hotspot.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.records.HotspotRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HotspotRanker} on a hand-worked example (zone UTC): on day 1 between 10:00 and 11:00,
 * NOISE in Futian has 2 tickets every 5 minutes (24 in the hour) and ROADS in Luohu 1 (12). On day
 * 2 in the same hour NOISE/Futian has 6 every 5 minutes (72) — 4 construction (agency NOISE-A), 2
 * traffic (agency NOISE-B) — and ROADS/Luohu again 1 (12). At 11:00 on day 2 the expected levels
 * are day 1's: NOISE/Futian scores (72 - 24) / sqrt(24 + 1) = 9.6, ROADS/Luohu (12 - 12) / sqrt(13)
 * = 0.
 */
class HotspotRankerHarnessTest {

    private static final long MIN = 60_000L;
    private static final long DAY1_10H = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long DAY2_10H = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    private static StreamRecord<CountRow> row(
            long start, String major, String code, String district, String agency, long created) {
        CountRow r =
                new CountRow(
                        Granularity.FIVE_MINUTES,
                        start,
                        start + 5 * MIN,
                        CountFact.key(major, code, district, agency, "HOTLINE"),
                        new long[] {created, 0, 0, 0, 0, 0, 0, 0, 0},
                        true,
                        1L);
        return new StreamRecord<>(r, start + 5 * MIN - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb", "rocksdb-cached"})
    void shouldRankByGrowthOverTheSameHourOnEarlierDays(String backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> harness =
                harness(backend)) {
            harness.open();
            for (int w = 0; w < 12; w++) {
                long start = DAY1_10H + w * 5 * MIN;
                harness.processElement(
                        row(start, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 2));
                harness.processElement(row(start, "ROADS", "ROADS-POTHOLE", "Luohu", "ROADS-A", 1));
                harness.processWatermark(start + 5 * MIN - 1);
            }
            for (int w = 0; w < 12; w++) {
                long start = DAY2_10H + w * 5 * MIN;
                harness.processElement(
                        row(start, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 4));
                harness.processElement(
                        row(start, "NOISE", "NOISE-TRAFFIC", "Futian", "NOISE-B", 2));
                harness.processElement(row(start, "ROADS", "ROADS-POTHOLE", "Luohu", "ROADS-A", 1));
                harness.processWatermark(start + 5 * MIN - 1);
            }

            long elevenOnDay2 = DAY2_10H + 60 * MIN;
            List<HotspotRow> ranking =
                    harness.extractOutputValues().stream()
                            .filter(r -> r.windowEnd == elevenOnDay2)
                            .toList();
            List<HotspotRow> city = ranking.stream().filter(r -> r.scope.equals("city")).toList();
            assertThat(city)
                    .extracting(
                            r -> r.rank + " " + r.categoryMajor + "/" + r.district + " " + r.volume)
                    .containsExactly("1 NOISE/Futian 72", "2 ROADS/Luohu 12");
            assertThat(city.get(0).expected).isCloseTo(24.0, within(1e-9));
            assertThat(city.get(0).score).isCloseTo(9.6, within(1e-9));
            assertThat(city.get(1).score).isCloseTo(0.0, within(1e-9));
            assertThat(city.get(0).topItems).isEqualTo("NOISE-CONSTRUCTION:48, NOISE-TRAFFIC:24");
            assertThat(city.get(0).topAgencies).isEqualTo("NOISE-A:48, NOISE-B:24");
            assertThat(ranking.stream().filter(r -> r.scope.equals("Futian")))
                    .extracting(r -> r.rank + " " + r.categoryMajor)
                    .containsExactly("1 NOISE");
            assertThat(ranking.stream().filter(r -> r.scope.equals("Luohu")))
                    .extracting(r -> r.rank + " " + r.categoryMajor)
                    .containsExactly("1 ROADS");

            // At 10:05 on day 1 no pair reaches 3 tickets; at 10:10 NOISE/Futian has 4 and no
            // history at all, so it is expected at 0.
            HotspotRow first = harness.extractOutputValues().get(0);
            assertThat(first.windowEnd).isEqualTo(DAY1_10H + 10 * MIN);
            assertThat(first.volume).isEqualTo(4);
            assertThat(first.expected).isZero();
        }
    }

    /**
     * The ranker on {@code backend} ("heap" or "rocksdb"), writing its state through, or with
     * "-cached" back before each barrier as the job runs it.
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> harness(
            String backend) throws Exception {
        HotspotRanker ranker = new HotspotRanker(ZoneOffset.UTC, 10, 3, 0.3);
        KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        backend.endsWith("-cached")
                                ? new CachingKeyedProcessOperator<>(ranker, 1)
                                : new KeyedProcessOperator<>(ranker),
                        r -> "city",
                        Types.STRING);
        if (backend.startsWith("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    /**
     * What a snapshot of {@code h} restores into: for the "-cached" variants the other kind each
     * time (write-back into write-through and back), so what one stores the other must read.
     */
    private static String next(
            KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> h,
            String backend) {
        if (!backend.endsWith("-cached")) {
            return backend;
        }
        String plain = backend.replace("-cached", "");
        return h.getOperator() instanceof CachingKeyedProcessOperator ? plain : backend;
    }

    /** The city-wide rows by window end, then by "MAJOR/District", described by {@code what}. */
    private static java.util.Map<Long, java.util.Map<String, String>> cityRankings(
            List<HotspotRow> output, java.util.function.Function<HotspotRow, String> what) {
        java.util.Map<Long, java.util.Map<String, String>> ranked = new java.util.TreeMap<>();
        for (HotspotRow r : output) {
            if (r.scope.equals("city")) {
                ranked.computeIfAbsent(r.windowEnd, k -> new java.util.TreeMap<>())
                        .put(r.categoryMajor + "/" + r.district, what.apply(r));
            }
        }
        return ranked;
    }

    /**
     * Snapshots {@code h} at {@code checkpoint}, adds its output to {@code output}, closes it and
     * returns a new ranker restored from the snapshot.
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> restored(
            KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> h,
            String backend,
            long checkpoint,
            List<HotspotRow> output)
            throws Exception {
        h.prepareSnapshotPreBarrier(checkpoint); // as Flink does before a barrier
        var snapshot = h.snapshot(checkpoint, checkpoint);
        output.addAll(h.extractOutputValues());
        h.close();
        var restored = harness(next(h, backend));
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    /**
     * A late event within the allowed lateness makes the counter publish its window's final row
     * again, with the corrected total: 2 NOISE/Futian tickets in 10:00-10:05 become 3. With 2 more
     * in 10:05-10:10, the ranking at 10:10 has 3 + 2 = 5 (adding the corrected row to the first
     * would give 7). The same holds when the ranker is restored from a snapshot taken between the
     * correction and the ranking (its summaries are rebuilt from state).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "heap",
                "rocksdb",
                "heap-restored",
                "rocksdb-restored",
                "rocksdb-cached",
                "rocksdb-cached-restored"
            })
    void shouldReplaceARowByItsCorrectionInsteadOfCountingBoth(String variant) throws Exception {
        String backend = variant.replace("-restored", "");
        long ten = DAY1_10H;
        var h = harness(backend);
        h.open();
        h.processElement(row(ten, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 2));
        h.processWatermark(ten + 5 * MIN - 1); // ranking at 10:05: 2 is below the minimum of 3
        h.processElement(row(ten, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 3));
        h.processElement(row(ten + 5 * MIN, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 2));
        if (variant.endsWith("-restored")) {
            h.prepareSnapshotPreBarrier(1);
            var snapshot = h.snapshot(1, 1);
            h.close();
            h = harness(next(h, backend));
            h.initializeState(snapshot);
            h.open();
        }
        h.processWatermark(ten + 10 * MIN - 1);

        List<HotspotRow> city =
                h.extractOutputValues().stream().filter(r -> r.scope.equals("city")).toList();
        assertThat(city)
                .extracting(r -> r.windowEnd + " " + r.volume + " " + r.topItems)
                .containsExactly((ten + 10 * MIN) + " 5 NOISE-CONSTRUCTION:5");
        h.close();
    }

    /**
     * {@link HotspotRanker#accepts} drops the rows without CREATED tickets before the shuffle (a
     * ticket's later steps: dispatched, resolved, ... under its agency) and partial or hourly rows.
     * The oracle is the ranker fed every row: dropping them must not change any ranking.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldRankTheSameWithoutTheRowsItDoesNotAccept(String backend) throws Exception {
        List<StreamRecord<CountRow>> input = new java.util.ArrayList<>();
        for (int day = 0; day < 2; day++) {
            for (int w = 0; w < 12; w++) {
                long start = DAY1_10H + day * 24 * 60 * MIN + w * 5 * MIN;
                input.add(row(start, "NOISE", "NOISE-CONSTRUCTION", "Futian", "", 2 + 2 * day));
                input.add(row(start, "ROADS", "ROADS-POTHOLE", "Luohu", "", 1 + w % 3));
                // Later lifecycle steps of the same tickets: no CREATED, agency set.
                StreamRecord<CountRow> dispatched =
                        row(start, "NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", 0);
                dispatched.getValue().counts[3] = 5;
                input.add(dispatched);
                input.add(row(start, "WATER", "WATER-LEAK", "Nanshan", "WATER-A", 0));
                StreamRecord<CountRow> partial =
                        row(start, "ROADS", "ROADS-POTHOLE", "Luohu", "", 9);
                partial.getValue().isFinal = false;
                input.add(partial);
            }
        }
        List<StreamRecord<CountRow>> accepted =
                input.stream().filter(r -> HotspotRanker.accepts(r.getValue())).toList();
        assertThat(accepted).hasSize(48);

        // What the ranker read before: every final 5-minute row.
        List<String> all =
                rankings(backend, input.stream().filter(r -> r.getValue().isFinal).toList());
        List<String> filtered = rankings(backend, accepted);
        assertThat(all).isNotEmpty().isEqualTo(filtered);
    }

    /**
     * Random final rows over five hours, with a quiet spell longer than an hour (corrections of
     * earlier windows among them, the watermark moving in steps of one to four windows), checked
     * against an oracle that adds up, for every ranking, the latest count of each row in its hour
     * from scratch: each pair's volume and its leading items and agencies, every pair at or above
     * the minimum volume ranked city-wide, and no ranking for a window end that was passed before
     * any row of its window came. Restored from snapshots along the way, the ranker starts again
     * from the lowest watermark: a correction of an hour already ranked, arriving before the next
     * watermark, must not rank that hour again.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "heap",
                "rocksdb",
                "heap-restored",
                "rocksdb-restored",
                "heap-cached-restored",
                "rocksdb-cached-restored"
            })
    void shouldSumEveryRankingsHourLikeAnOracle(String variant) throws Exception {
        String backend = variant.replace("-restored", "");
        String[] majors = {"NOISE", "ROADS", "WATER"};
        String[] districts = {"Futian", "Luohu"};
        String[] agencies = {"", "A", "B"};
        java.util.Random random = new java.util.Random(7);
        java.util.Map<Long, java.util.Map<String, Long>> latest = new java.util.TreeMap<>();
        java.util.Set<Long> dueEnds = new java.util.TreeSet<>();
        List<HotspotRow> output = new java.util.ArrayList<>();
        java.util.Map<Long, java.util.Map<String, String>> expected = new java.util.TreeMap<>();
        var h = harness(backend);
        h.open();
        long watermark = Long.MIN_VALUE;
        int windows = 48;
        int restores = 0;
        for (int w = 0; w < windows; w++) {
            // A quiet spell of 75 minutes after the 30th window: the next ranking's hour does not
            // overlap the one before.
            long start = DAY1_10H + (w < 30 ? w : w + 15) * 5 * MIN;
            int rowsNow = random.nextInt(6);
            for (int i = 0; i < rowsNow; i++) {
                long at = start;
                if (w > 0 && random.nextInt(4) == 0) {
                    at = start - (1 + random.nextInt(Math.min(w, 14))) * 5 * MIN; // a correction
                }
                String major = majors[random.nextInt(majors.length)];
                String agency = agencies[random.nextInt(agencies.length)];
                String key =
                        CountFact.key(
                                major,
                                major + "-" + random.nextInt(2),
                                districts[random.nextInt(districts.length)],
                                agency.isEmpty() ? "" : major + "-" + agency,
                                "HOTLINE");
                long created =
                        latest.getOrDefault(at, java.util.Map.of()).getOrDefault(key, 0L)
                                + 1
                                + random.nextInt(4);
                latest.computeIfAbsent(at, k -> new java.util.HashMap<>()).put(key, created);
                if (at + 5 * MIN - 1 > watermark) {
                    dueEnds.add(at + 5 * MIN);
                }
                CountRow r =
                        new CountRow(
                                Granularity.FIVE_MINUTES,
                                at,
                                at + 5 * MIN,
                                key,
                                new long[] {created, 0, 0, 0, 0, 0, 0, 0, 0},
                                true,
                                1L);
                h.processElement(new StreamRecord<>(r, at + 5 * MIN - 1));
            }
            if (w == windows - 1 || random.nextInt(4) != 0) {
                watermark = start + 5 * MIN - 1;
                for (var due = dueEnds.iterator(); due.hasNext(); ) {
                    long end = due.next();
                    if (end - 1 <= watermark) {
                        expected.put(end, oracle(latest, end));
                        due.remove();
                    }
                }
                h.processWatermark(watermark);
            }
            if (variant.endsWith("-restored") && w % 11 == 10) {
                h = restored(h, backend, w, output);
                restores++;
            }
        }
        output.addAll(h.extractOutputValues());
        h.close();

        java.util.Map<Long, java.util.Map<String, String>> ranked =
                cityRankings(output, r -> r.volume + " " + r.topItems + " | " + r.topAgencies);
        expected.values().removeIf(java.util.Map::isEmpty);
        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(ranked).isEqualTo(expected);
        assertThat(restores).isEqualTo(variant.endsWith("-restored") ? 4 : 0);
    }

    /**
     * The expected level of every ranked pair over two and a half days of random rows (every
     * 5-minute window has some, so every window end is ranked and every clock hour learnt) against
     * an oracle that keeps per pair the exponentially weighted mean (alpha 0.3) of each hour of
     * day, zero for an hour a known pair had no ticket, and the running mean of all its hours: a
     * ranking expects the same hour's mean once that hour of day was learnt, the running mean
     * before, and 0 for a pair never learnt. WATER/Luohu only has tickets in even hours, so its odd
     * hours learn zeros. Restored from snapshots along the way, the ranker must read back every
     * baseline.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "heap",
                "rocksdb",
                "heap-restored",
                "rocksdb-restored",
                "heap-cached-restored",
                "rocksdb-cached-restored"
            })
    void shouldExpectEveryPairsUsualVolumeLikeAnOracle(String variant) throws Exception {
        String backend = variant.replace("-restored", "");
        String[] pairs = {"NOISE/Futian", "NOISE/Luohu", "ROADS/Futian", "WATER/Luohu"};
        long hourMs = 60 * MIN;
        java.util.Random random = new java.util.Random(5);
        // pair -> volume, per window start
        java.util.Map<Long, java.util.Map<String, Long>> volumes = new java.util.HashMap<>();
        java.util.Map<String, double[]> sameHour = new java.util.HashMap<>(); // pair@hour
        java.util.Map<String, double[]> anyHour = new java.util.HashMap<>(); // pair
        java.util.Map<Long, java.util.Map<String, String>> expected = new java.util.TreeMap<>();
        int fromSameHour = 0;
        int fromAnyHour = 0;
        List<HotspotRow> output = new java.util.ArrayList<>();
        var h = harness(backend);
        h.open();
        int windows = 12 * 60;
        for (int w = 0; w < windows; w++) {
            long start = DAY1_10H + w * 5 * MIN;
            int hourOfDay = (int) Math.floorMod(start / hourMs, 24L);
            java.util.Map<String, Long> rows = new java.util.TreeMap<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                String[] pair = pairs[random.nextInt(hourOfDay % 2 == 0 ? 4 : 3)].split("/");
                String key =
                        CountFact.key(
                                pair[0],
                                pair[0] + "-" + random.nextInt(2),
                                pair[1],
                                pair[0] + "-A",
                                "HOTLINE");
                rows.put(key, 1L + random.nextInt(3));
            }
            java.util.Map<String, Long> volume = new java.util.HashMap<>();
            for (var r : rows.entrySet()) {
                String[] d = r.getKey().split(String.valueOf(CountFact.SEPARATOR), -1);
                volume.merge(d[0] + "/" + d[2], r.getValue(), Long::sum);
                h.processElement(row(start, d[0], d[1], d[2], d[3], r.getValue()));
            }
            volumes.put(start, volume);

            // The oracle's ranking at this window's end, then what that end teaches it.
            long end = start + 5 * MIN;
            java.util.Map<String, Long> hour = new java.util.HashMap<>();
            for (long s = end - hourMs; s < end; s += 5 * MIN) {
                volumes.getOrDefault(s, java.util.Map.of())
                        .forEach((pair, v) -> hour.merge(pair, v, Long::sum));
            }
            int rankedHour = (int) Math.floorMod((end - hourMs / 2) / hourMs, 24L);
            java.util.Map<String, String> ranking = new java.util.TreeMap<>();
            for (var e : hour.entrySet()) {
                if (e.getValue() >= 3) {
                    double[] same = sameHour.get(e.getKey() + "@" + rankedHour);
                    double[] any = anyHour.get(e.getKey());
                    double level = same != null ? same[0] : any != null ? any[0] : 0.0;
                    fromSameHour += same != null ? 1 : 0;
                    fromAnyHour += same == null && any != null ? 1 : 0;
                    ranking.put(e.getKey(), String.format("%.9f", level));
                }
            }
            if (!ranking.isEmpty()) {
                expected.put(end, ranking);
            }
            if (end % hourMs == 0) {
                int learnt = (int) Math.floorMod((end - hourMs) / hourMs, 24L);
                java.util.Set<String> known = new java.util.HashSet<>(anyHour.keySet());
                known.addAll(hour.keySet());
                for (String pair : known) {
                    double v = hour.getOrDefault(pair, 0L);
                    double[] same = sameHour.get(pair + "@" + learnt);
                    sameHour.put(
                            pair + "@" + learnt,
                            same == null
                                    ? new double[] {v, 1}
                                    : new double[] {same[0] + 0.3 * (v - same[0]), same[1] + 1});
                    double[] any = anyHour.getOrDefault(pair, new double[] {0, 0});
                    anyHour.put(
                            pair, new double[] {any[0] + (v - any[0]) / (any[1] + 1), any[1] + 1});
                }
            }

            h.processWatermark(end - 1);
            if (variant.endsWith("-restored") && w % 97 == 96) {
                h = restored(h, backend, w, output);
            }
        }
        output.addAll(h.extractOutputValues());
        h.close();

        java.util.Map<Long, java.util.Map<String, String>> ranked =
                cityRankings(output, r -> String.format("%.9f", r.expected));
        assertThat(expected).hasSizeGreaterThan(windows - 5);
        assertThat(fromSameHour).isGreaterThan(500);
        assertThat(fromAnyHour).isGreaterThan(500);
        assertThat(ranked).isEqualTo(expected);
    }

    /**
     * The write-back ranker stores at every barrier what the write-through one stores at that point
     * (the oracle: the same ranker writing every change through, fed the same rows): each row of
     * the last hour with its latest count, rows whose window left the hour gone (also those that
     * came and went between two barriers, and corrections to zero), every baseline, and the ends of
     * the last ranking and of the last hour learnt. Both make the same rankings.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldStoreAtEachBarrierWhatTheWriteThroughRankerStores(String backend) throws Exception {
        java.util.Random random = new java.util.Random(11);
        String[] majors = {"NOISE", "ROADS", "WATER"};
        String[] districts = {"Futian", "Luohu"};
        var through = harness(backend);
        var back = harness(backend + "-cached");
        through.open();
        back.open();
        java.util.Map<Long, java.util.Map<String, Long>> latest = new java.util.HashMap<>();
        int compared = 0;
        int storedRows = 0;
        for (int w = 0; w < 12 * 30; w++) {
            long start = DAY1_10H + w * 5 * MIN;
            for (int i = random.nextInt(5); i > 0; i--) {
                long at = w > 0 && random.nextInt(4) == 0 ? start - 5 * MIN : start;
                String major = majors[random.nextInt(majors.length)];
                String code = major + "-" + random.nextInt(2);
                String district = districts[random.nextInt(districts.length)];
                String agency = random.nextBoolean() ? "" : major + "-A";
                String key = CountFact.key(major, code, district, agency, "HOTLINE");
                java.util.Map<String, Long> rows =
                        latest.computeIfAbsent(at, k -> new java.util.HashMap<>());
                // Now and then a correction to zero (the row leaves the state).
                long created =
                        rows.containsKey(key) && random.nextInt(3) == 0
                                ? 0
                                : rows.getOrDefault(key, 0L) + 1 + random.nextInt(3);
                rows.put(key, created);
                StreamRecord<CountRow> r = row(at, major, code, district, agency, created);
                through.processElement(new StreamRecord<>(copy(r.getValue()), r.getTimestamp()));
                back.processElement(new StreamRecord<>(copy(r.getValue()), r.getTimestamp()));
            }
            through.processWatermark(start + 5 * MIN - 1);
            back.processWatermark(start + 5 * MIN - 1);
            if (w % 7 == 6) {
                back.prepareSnapshotPreBarrier(w);
                String expected = stored(through);
                assertThat(stored(back)).as("after window " + w).isEqualTo(expected);
                storedRows += expected.split("\n").length;
                compared++;
            }
        }
        assertThat(compared).isEqualTo(51);
        assertThat(storedRows).isGreaterThan(51 * 10);
        assertThat(rankingLines(back.extractOutputValues()))
                .isNotEmpty()
                .isEqualTo(rankingLines(through.extractOutputValues()));
        through.close();
        back.close();
    }

    /** The ranker's keyed state ("city"), one line per entry, sorted. */
    private static String stored(
            KeyedOneInputStreamOperatorTestHarness<String, CountRow, HotspotRow> h)
            throws Exception {
        var backend = h.getOperator().<String>getKeyedStateBackend();
        backend.setCurrentKey("city");
        var ns = org.apache.flink.runtime.state.VoidNamespace.INSTANCE;
        var nsSerializer = org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE;
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (var e :
                backend.getPartitionedState(
                                ns,
                                nsSerializer,
                                new org.apache.flink.api.common.state.MapStateDescriptor<>(
                                        "rows", Types.STRING, Types.LONG))
                        .entries()) {
            lines.add("row " + e.getKey().replace(CountFact.SEPARATOR, '|') + " " + e.getValue());
        }
        for (var e :
                backend.getPartitionedState(
                                ns,
                                nsSerializer,
                                new org.apache.flink.api.common.state.MapStateDescriptor<>(
                                        "baseline",
                                        Types.STRING,
                                        org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo
                                                .DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO))
                        .entries()) {
            lines.add(
                    "baseline "
                            + e.getKey().replace(CountFact.SEPARATOR, '|')
                            + " "
                            + java.util.Arrays.toString(e.getValue()));
        }
        for (String end : List.of("learnt-until", "ranked-until")) {
            lines.add(
                    end
                            + " "
                            + backend.getPartitionedState(
                                            ns,
                                            nsSerializer,
                                            new org.apache.flink.api.common.state
                                                    .ValueStateDescriptor<>(end, Types.LONG))
                                    .value());
        }
        java.util.Collections.sort(lines);
        return String.join("\n", lines);
    }

    /** Every ranking row but its version (the wall clock), one line each. */
    private static List<String> rankingLines(List<HotspotRow> rows) {
        return rows.stream()
                .map(
                        r ->
                                r.windowEnd
                                        + " "
                                        + r.scope
                                        + " "
                                        + r.rank
                                        + " "
                                        + r.categoryMajor
                                        + "/"
                                        + r.district
                                        + " "
                                        + r.volume
                                        + " "
                                        + r.expected
                                        + " "
                                        + r.score
                                        + " "
                                        + r.topItems
                                        + " "
                                        + r.topAgencies)
                .toList();
    }

    /** {@link HotspotRanker#top} keeps the best three in one pass; the oracle sorts them all. */
    @org.junit.jupiter.api.Test
    void shouldNameTheThreeLargestLikeAFullSort() {
        java.util.Random random = new java.util.Random(3);
        assertThat(HotspotRanker.top(null)).isEmpty();
        for (int round = 0; round < 2000; round++) {
            java.util.Map<String, Long> counts = new java.util.HashMap<>();
            int n = random.nextInt(9);
            for (int i = 0; i < n; i++) {
                counts.put("ITEM-" + random.nextInt(12), 1L + random.nextInt(4));
            }
            assertThat(HotspotRanker.top(counts)).as(counts.toString()).isEqualTo(top3(counts));
        }
    }

    /**
     * Every pair's volume in the hour before {@code end} (at least the minimum of 3), with its
     * three leading items and agencies: {@code pair -> "volume items | agencies"}.
     */
    private static java.util.Map<String, String> oracle(
            java.util.Map<Long, java.util.Map<String, Long>> latest, long end) {
        java.util.Map<String, Long> volume = new java.util.TreeMap<>();
        java.util.Map<String, java.util.Map<String, Long>> items = new java.util.HashMap<>();
        java.util.Map<String, java.util.Map<String, Long>> agencies = new java.util.HashMap<>();
        latest.forEach(
                (start, rows) -> {
                    if (start < end - 60 * MIN || start >= end) {
                        return;
                    }
                    rows.forEach(
                            (key, n) -> {
                                String[] d = key.split(String.valueOf(CountFact.SEPARATOR), -1);
                                String pair = d[0] + "/" + d[2];
                                volume.merge(pair, n, Long::sum);
                                items.computeIfAbsent(pair, k -> new java.util.HashMap<>())
                                        .merge(d[1], n, Long::sum);
                                if (!d[3].isEmpty()) {
                                    agencies.computeIfAbsent(pair, k -> new java.util.HashMap<>())
                                            .merge(d[3], n, Long::sum);
                                }
                            });
                });
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        volume.forEach(
                (pair, n) -> {
                    if (n >= 3) {
                        out.put(
                                pair,
                                n + " " + top3(items.get(pair)) + " | " + top3(agencies.get(pair)));
                    }
                });
        return out;
    }

    /** Largest first, ties by name: {@code NAME:count, ...}. */
    private static String top3(java.util.Map<String, Long> counts) {
        if (counts == null) {
            return "";
        }
        List<java.util.Map.Entry<String, Long>> sorted =
                new java.util.ArrayList<>(counts.entrySet());
        sorted.sort(
                (a, b) ->
                        !a.getValue().equals(b.getValue())
                                ? Long.compare(b.getValue(), a.getValue())
                                : a.getKey().compareTo(b.getKey()));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(3, sorted.size()); i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(sorted.get(i).getKey())
                    .append(':')
                    .append(sorted.get(i).getValue());
        }
        return s.toString();
    }

    /** The rankings made over {@code input}, one line per row, version left out. */
    private static List<String> rankings(String backend, List<StreamRecord<CountRow>> input)
            throws Exception {
        try (var h = harness(backend)) {
            h.open();
            long watermark = Long.MIN_VALUE;
            for (StreamRecord<CountRow> r : input) {
                CountRow v = r.getValue();
                if (v.windowStart - 1 > watermark) {
                    watermark = v.windowStart - 1;
                    h.processWatermark(watermark);
                }
                h.processElement(new StreamRecord<>(copy(v), r.getTimestamp()));
            }
            h.processWatermark(Long.MAX_VALUE);
            return rankingLines(h.extractOutputValues());
        }
    }

    private static CountRow copy(CountRow r) {
        return new CountRow(
                r.granularity,
                r.windowStart,
                r.windowEnd,
                r.key,
                r.counts.clone(),
                r.isFinal,
                r.version);
    }
}
