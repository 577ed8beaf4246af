package io.citypulse.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scoring rules on a hand-worked case: five incidents, a handful of tickets per series and
 * eleven alerts, every figure worked out by hand in the comments.
 */
class ScoringTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final long MIN = 60_000L;
    static final long HOUR = 60 * MIN;
    static final long DAY = 24 * HOUR;

    /** 2026-11-02 00:00 Shenzhen: the simulated window is [T0, T0 + 21 d), warm-up 7 d. */
    static final long T0 = Instant.parse("2026-11-01T16:00:00Z").toEpochMilli();

    static final long END = T0 + 21 * DAY;
    static final long SCORING = T0 + 7 * DAY;

    // I1: NOISE city-wide, 2 h from day 8 10:00. Not lead-driven.
    static final long S1 = T0 + 8 * DAY + 10 * HOUR;
    static final TruthIncident I1 =
            new TruthIncident("I1", 1, "NOISE", null, null, S1, S1 + 2 * HOUR, 3, false, null);

    // I2: WATER-PIPE-BURST in Baoan, 3 h from day 9 08:00; its posts surge from 2 h earlier.
    static final long S2 = T0 + 9 * DAY + 8 * HOUR;
    static final TruthIncident I2 =
            new TruthIncident(
                    "I2",
                    2,
                    "WATER",
                    "WATER-PIPE-BURST",
                    "Baoan",
                    S2,
                    S2 + 3 * HOUR,
                    6,
                    true,
                    S2 - 2 * HOUR);

    // I3: TRAFFIC in Futian for only 30 minutes: ineligible (duration).
    static final long S3 = T0 + 10 * DAY + 9 * HOUR;
    static final TruthIncident I3 =
            new TruthIncident(
                    "I3", 3, "TRAFFIC", null, "Futian", S3, S3 + 30 * MIN, 8, false, null);

    // I4: HOUSING city-wide for 2 h, too weak: 10 usual + 5 extra = x1.5: ineligible.
    static final long S4 = T0 + 11 * DAY + 14 * HOUR;
    static final TruthIncident I4 =
            new TruthIncident("I4", 4, "HOUSING", null, null, S4, S4 + 2 * HOUR, 3, false, null);

    // I5: LABOUR on day 2, in the warm-up: ineligible.
    static final long S5 = T0 + 2 * DAY + 10 * HOUR;
    static final TruthIncident I5 =
            new TruthIncident("I5", 5, "LABOUR", null, null, S5, S5 + 4 * HOUR, 4, false, null);

    static Truth truth() {
        return new Truth(7, ZONE, T0, END, SCORING, List.of(I1, I2, I3, I4, I5));
    }

    private static int seq;

    static CreatedTicket ordinary(long time, String code, String district) {
        return new CreatedTicket(
                String.format("T-2026110%d-%05d", seq % 10, ++seq),
                time,
                code.substring(0, code.indexOf('-')),
                code,
                district);
    }

    static CreatedTicket extra(int ordinal, long time, String code, String district) {
        return new CreatedTicket(
                String.format("T-2026110200-I%d-%05d", ordinal, ++seq),
                time,
                code.substring(0, code.indexOf('-')),
                code,
                district);
    }

    /** The hand-made ticket stream. */
    static List<CreatedTicket> tickets() {
        List<CreatedTicket> t = new ArrayList<>();
        // I1 NOISE [S1, S1 + 2 h): 4 ordinary, 8 extra -> x3. Outside the window, and another
        // incident's ticket, count for nothing; a redelivered CREATED counts once.
        for (int k = 0; k < 4; k++) {
            t.add(ordinary(S1 + k * 20 * MIN, "NOISE-CONSTRUCTION", "Nanshan"));
        }
        t.add(t.get(0)); // redelivered
        for (int k = 0; k < 8; k++) {
            t.add(extra(1, S1 + k * 10 * MIN, "NOISE-NEIGHBOURHOOD", "Futian"));
        }
        t.add(ordinary(S1 - 1, "NOISE-CONSTRUCTION", "Nanshan"));
        t.add(ordinary(S1 + 2 * HOUR, "NOISE-CONSTRUCTION", "Nanshan")); // end is exclusive
        t.add(extra(7, S1 + HOUR, "NOISE-CONSTRUCTION", "Nanshan")); // another incident's
        // I2 [S2, S2 + 3 h): WATER ordinary 10, of them WATER-PIPE-BURST 2 (Baoan, Futian) and
        // Baoan 3 (the burst + 2 others); extra 6 (one converted from an incident lead).
        //   WATER (10 + 6) / 10 = 1.6, WATER-PIPE-BURST (2 + 6) / 2 = 4, WATER@Baoan (3 + 6) / 3
        //   = 3 -> effective 4.
        t.add(ordinary(S2 + 5 * MIN, "WATER-PIPE-BURST", "Baoan"));
        t.add(ordinary(S2 + 6 * MIN, "WATER-PIPE-BURST", "Futian"));
        t.add(ordinary(S2 + 7 * MIN, "WATER-SUPPLY-OUTAGE", "Baoan"));
        t.add(ordinary(S2 + 8 * MIN, "WATER-METER", "Baoan"));
        for (int k = 0; k < 6; k++) {
            t.add(ordinary(S2 + (10 + k) * MIN, "WATER-SUPPLY-OUTAGE", "Longgang"));
        }
        for (int k = 0; k < 5; k++) {
            t.add(extra(2, S2 + k * 30 * MIN, "WATER-PIPE-BURST", "Baoan"));
        }
        t.add(
                new CreatedTicket(
                        "TL-2026110222-I2-0001",
                        S2 + 100 * MIN,
                        "WATER",
                        "WATER-PIPE-BURST",
                        "Baoan"));
        // I3 TRAFFIC in Futian [S3, S3 + 30 min): 1 usual + 5 extra (x6, but too short).
        t.add(ordinary(S3 + MIN, "TRAFFIC-CONGESTION", "Futian"));
        t.add(ordinary(S3 + MIN, "TRAFFIC-CONGESTION", "Luohu")); // in TRAFFIC, not in Futian
        for (int k = 0; k < 5; k++) {
            t.add(extra(3, S3 + k * MIN, "TRAFFIC-CONGESTION", "Futian"));
        }
        // I4 HOUSING: 10 usual + 5 extra = x1.5.
        for (int k = 0; k < 10; k++) {
            t.add(ordinary(S4 + k * 10 * MIN, "HOUSING-ELEVATOR", "Baoan"));
        }
        for (int k = 0; k < 5; k++) {
            t.add(extra(4, S4 + k * 10 * MIN, "HOUSING-ELEVATOR", "Baoan"));
        }
        // I5 LABOUR: 0 usual + 3 extra: x3 (a usual level of 0 counts as 1).
        for (int k = 0; k < 3; k++) {
            t.add(extra(5, S5 + k * 10 * MIN, "LABOUR-WAGE-ARREARS", "Baoan"));
        }
        return t;
    }

    static AlertRecord alert(String id, String scope, String key, boolean lead, long opened) {
        String major = key.contains("@") ? key.substring(0, key.indexOf('@')) : key.split("-")[0];
        return new AlertRecord(
                id,
                scope,
                major,
                scope.equals("ITEM") ? key : "",
                scope.equals("DISTRICT") ? key.substring(key.indexOf('@') + 1) : "",
                lead,
                opened);
    }

    /** The hand-made alerts; the comment says what each proves. */
    static List<AlertRecord> alerts() {
        return List.of(
                // detects I1 after 10 min
                alert("a1", "CATEGORY", "NOISE", false, S1 + 10 * MIN),
                // any item of a whole-major incident: matches I1 (not first, not false)
                alert("a2", "ITEM", "NOISE-CONSTRUCTION", false, S1 + 20 * MIN),
                // leads raised it 90 min before the tickets surged: detects I2, delay -90 min
                alert("a3", "ITEM", "WATER-PIPE-BURST", true, S2 - 90 * MIN),
                // another district than I2's Baoan: false (WATER, week 1)
                alert("a4", "DISTRICT", "WATER@Futian", false, S2 + 30 * MIN),
                // matches I3 (ineligible, yet not a false alert; counted in recall over all)
                alert("a5", "DISTRICT", "TRAFFIC@Futian", false, S3 + 5 * MIN),
                // 50 min after I1's end: matches it (not false), but is no detection
                alert("a6", "CATEGORY", "NOISE", false, S1 + 2 * HOUR + 50 * MIN),
                // 70 min after I1's end: false (NOISE, week 1)
                alert("a7", "CATEGORY", "NOISE", false, S1 + 2 * HOUR + 70 * MIN),
                // day 15: false (NOISE, week 2)
                alert("a8", "CATEGORY", "NOISE", false, T0 + 15 * DAY),
                // day 16: false (WATER, week 2)
                alert("a9", "ITEM", "WATER-METER", false, T0 + 16 * DAY),
                // day 3, in the warm-up: not scored (although it matches nothing)
                alert("a10", "CATEGORY", "HOUSING", false, T0 + 3 * DAY),
                // 40 min before I1 (not lead-driven: 30 min of slack only): false (NOISE, week 1)
                alert("a11", "CATEGORY", "NOISE", false, S1 - 40 * MIN));
    }

    static Report report() {
        IncidentLevels levels = new IncidentLevels(truth().incidents());
        tickets().forEach(levels::accept);
        return Scoring.score(truth(), levels.result(), alerts(), SCORING);
    }

    @Test
    void measuresEachIncidentInEachSeriesThatHoldsIt() {
        IncidentLevels levels = new IncidentLevels(truth().incidents());
        tickets().forEach(levels::accept);
        Map<String, List<IncidentLevels.SeriesCount>> r = levels.result();
        assertThat(r.get("I1")).containsExactly(new IncidentLevels.SeriesCount("NOISE", 4, 8));
        assertThat(r.get("I2"))
                .containsExactly(
                        new IncidentLevels.SeriesCount("WATER", 10, 6),
                        new IncidentLevels.SeriesCount("WATER-PIPE-BURST", 2, 6),
                        new IncidentLevels.SeriesCount("WATER@Baoan", 3, 6));
        assertThat(r.get("I3"))
                .containsExactly(
                        new IncidentLevels.SeriesCount("TRAFFIC", 2, 5),
                        new IncidentLevels.SeriesCount("TRAFFIC@Futian", 1, 5));
        assertThat(r.get("I4")).containsExactly(new IncidentLevels.SeriesCount("HOUSING", 10, 5));
        assertThat(r.get("I5")).containsExactly(new IncidentLevels.SeriesCount("LABOUR", 0, 3));
        assertThat(Scoring.effectiveMultiplier(r.get("I1"))).isEqualTo(3.0);
        assertThat(Scoring.effectiveMultiplier(r.get("I2"))).isEqualTo(4.0);
        assertThat(Scoring.effectiveMultiplier(r.get("I3"))).isEqualTo(6.0);
        assertThat(Scoring.effectiveMultiplier(r.get("I4"))).isEqualTo(1.5);
        assertThat(Scoring.effectiveMultiplier(r.get("I5"))).isEqualTo(3.0);
    }

    @Test
    void eligibilityNeedsMultiplierTwoAnHourAndTheScoringPeriod() {
        Report report = report();
        assertThat(report.incidents())
                .extracting(r -> r.incident().id() + ":" + r.eligible())
                .containsExactly("I1:true", "I2:true", "I3:false", "I4:false", "I5:false");
        assertThat(report.incidents().get(2).ineligibleBecause())
                .containsExactly("shorter than 1 h");
        assertThat(report.incidents().get(3).ineligibleBecause())
                .containsExactly("effective multiplier below 2.0");
        assertThat(report.incidents().get(4).ineligibleBecause())
                .containsExactly("starts in the warm-up");
    }

    @Test
    void eligibilityBoundariesAreInclusive() {
        // exactly x2, exactly 1 h, starting exactly at the start of the scoring period
        TruthIncident edge =
                new TruthIncident(
                        "E", 1, "NOISE", null, null, SCORING, SCORING + HOUR, 2, false, null);
        Truth truth = new Truth(7, ZONE, T0, END, SCORING, List.of(edge));
        Report r =
                Scoring.score(
                        truth,
                        Map.of("E", List.of(new IncidentLevels.SeriesCount("NOISE", 5, 5))),
                        List.of(),
                        SCORING);
        assertThat(r.incidents().get(0).eligible()).isTrue();
        Report weaker =
                Scoring.score(
                        truth,
                        Map.of("E", List.of(new IncidentLevels.SeriesCount("NOISE", 5, 4))),
                        List.of(),
                        SCORING);
        assertThat(weaker.incidents().get(0).eligible()).isFalse();
    }

    @Test
    void matchingNeedsTheMajorACompatibleKeyAndTheWindow() {
        // Key compatibility
        assertThat(Scoring.scopeCompatible(alert("x", "CATEGORY", "WATER", false, 0), I2)).isTrue();
        assertThat(Scoring.scopeCompatible(alert("x", "CATEGORY", "NOISE", false, 0), I2))
                .isFalse();
        assertThat(Scoring.scopeCompatible(alert("x", "ITEM", "WATER-PIPE-BURST", false, 0), I2))
                .isTrue();
        assertThat(Scoring.scopeCompatible(alert("x", "ITEM", "WATER-METER", false, 0), I2))
                .as("another item than the incident's")
                .isFalse();
        assertThat(Scoring.scopeCompatible(alert("x", "ITEM", "NOISE-CONSTRUCTION", false, 0), I1))
                .as("any item of a whole-major incident")
                .isTrue();
        assertThat(Scoring.scopeCompatible(alert("x", "DISTRICT", "WATER@Baoan", false, 0), I2))
                .isTrue();
        assertThat(Scoring.scopeCompatible(alert("x", "DISTRICT", "WATER@Futian", false, 0), I2))
                .as("another district than the incident's")
                .isFalse();
        assertThat(Scoring.scopeCompatible(alert("x", "DISTRICT", "NOISE@Dapeng", false, 0), I1))
                .as("any district of a city-wide incident")
                .isTrue();
        // Window: I1 is not lead-driven: [S1 - 30 min, end + 1 h]; detection up to the end.
        long end1 = I1.end();
        assertThat(Scoring.matches(alert("x", "CATEGORY", "NOISE", false, S1 - 30 * MIN), I1))
                .isTrue();
        assertThat(Scoring.matches(alert("x", "CATEGORY", "NOISE", false, S1 - 30 * MIN - 1), I1))
                .isFalse();
        assertThat(Scoring.detects(alert("x", "CATEGORY", "NOISE", false, end1), I1)).isTrue();
        assertThat(Scoring.detects(alert("x", "CATEGORY", "NOISE", false, end1 + 1), I1)).isFalse();
        assertThat(Scoring.matches(alert("x", "CATEGORY", "NOISE", false, end1 + HOUR), I1))
                .isTrue();
        assertThat(Scoring.matches(alert("x", "CATEGORY", "NOISE", false, end1 + HOUR + 1), I1))
                .isFalse();
        // I2 is lead-driven: its window opens 30 min before its lead surge (S2 - 2 h).
        assertThat(Scoring.detectionStart(I2)).isEqualTo(S2 - 150 * MIN);
        assertThat(Scoring.detects(alert("x", "CATEGORY", "WATER", true, S2 - 150 * MIN), I2))
                .isTrue();
        assertThat(Scoring.detects(alert("x", "CATEGORY", "WATER", true, S2 - 151 * MIN), I2))
                .isFalse();
    }

    @Test
    void recallCountsDetectionsOfEligibleIncidents() {
        Report r = report();
        // I1 by a1, I2 by a3, I3 by a5 (ineligible); I4 and I5 have no alert.
        assertThat(r.incidents())
                .extracting(x -> x.detected() ? x.firstAlert().alertId() : "-")
                .containsExactly("a1", "a3", "a5", "-", "-");
        assertThat(r.eligible()).hasSize(2);
        assertThat(r.recallEligible()).isEqualTo(1.0);
        assertThat(r.recallAll()).isEqualTo(3 / 5.0);
        assertThat(r.recallPasses()).isTrue();
        // a1, a2 and a6 match I1 (a6 only in the hour after its end)
        assertThat(r.incidents().get(0).matchingAlerts()).isEqualTo(3);
    }

    @Test
    void delayIsFromTheSurgeStartAndMayBeNegativeForLeadDrivenIncidents() {
        Report r = report();
        assertThat(r.incidents().get(0).delayMs()).isEqualTo(10 * MIN);
        assertThat(r.incidents().get(1).delayMs()).isEqualTo(-90 * MIN);
        // eligible detections: raw [-90, 10] min, clamped [0, 10]; nearest rank: median = 1st
        // of 2, p90 = 2nd of 2
        assertThat(r.medianDelayRawMs()).isEqualTo(-90 * MIN);
        assertThat(r.medianDelayMs()).isZero();
        assertThat(r.p90DelayRawMs()).isEqualTo(10 * MIN);
        assertThat(r.p90DelayMs()).isEqualTo(10 * MIN);
        assertThat(r.delayPasses()).isTrue();
        assertThat(Scoring.percentile(List.of(5L, 1L, 3L), 0.5)).isEqualTo(3L);
        assertThat(Scoring.percentile(List.of(5L, 1L, 3L, 4L, 2L, 6L, 7L, 8L, 9L, 10L), 0.9))
                .isEqualTo(9L);
        assertThat(Scoring.percentile(List.of(), 0.5)).isNull();
    }

    @Test
    void falseAlertsArePerCategoryPerWeekOfTheScoringPeriod() {
        Report r = report();
        assertThat(r.alertsInWarmUp()).isEqualTo(1); // a10
        assertThat(r.alertsScored()).isEqualTo(10);
        assertThat(r.alertsMatched()).isEqualTo(5); // a1, a2, a3, a5, a6
        assertThat(r.falseAlerts())
                .extracting(AlertRecord::alertId)
                .containsExactly("a11", "a7", "a4", "a8", "a9"); // by opening time
        assertThat(r.precision()).isEqualTo(0.5);
        assertThat(r.weeks()).isEqualTo(2);
        assertThat(r.falsePerCategoryWeek()).containsOnlyKeys("NOISE", "WATER");
        assertThat(r.falsePerCategoryWeek().get("NOISE")).containsExactly(2, 1); // a7 a11 | a8
        assertThat(r.falsePerCategoryWeek().get("WATER")).containsExactly(1, 1); // a4 | a9
        assertThat(r.maxFalsePerCategoryWeek()).isEqualTo(2);
        assertThat(r.totalFalse()).isEqualTo(5);
        assertThat(r.falseAlertsPass()).isFalse();
        assertThat(r.passes()).isFalse();
    }

    @Test
    void aPartialLastWeekIsAWeekOfItsOwn() {
        Truth truth = new Truth(7, ZONE, T0, T0 + 17 * DAY, SCORING, List.of());
        Report r =
                Scoring.score(
                        truth,
                        Map.of(),
                        List.of(alert("z", "CATEGORY", "NOISE", false, T0 + 16 * DAY)),
                        SCORING);
        assertThat(r.weeks()).isEqualTo(2);
        assertThat(r.falsePerCategoryWeek().get("NOISE")).containsExactly(0, 1);
        assertThat(r.recallEligible()).isNaN();
        assertThat(r.recallPasses()).isFalse();
    }

    @Test
    void printsEveryFigureTheMissedIncidentsAndTheVerdicts() {
        // Without a1 and a3, I1 and I2 are missed.
        List<AlertRecord> some = new ArrayList<>(alerts());
        some.removeIf(a -> a.alertId().equals("a1") || a.alertId().equals("a3"));
        IncidentLevels levels = new IncidentLevels(truth().incidents());
        tickets().forEach(levels::accept);
        Report r = Scoring.score(truth(), levels.result(), some, SCORING);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "a test");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("recall (eligible)      1/2 = 0.500   target >= 0.95   FAIL")
                .contains("recall (all, info)     2/5 = 0.400")
                .contains(
                        "delay median           20.0 min (raw 20.0 min)   target <= 15 min   FAIL")
                .contains("precision              3/8 = 0.375")
                .contains("false alerts           5 in total, at most 2 per category per week")
                .contains("NOISE             2    1      3")
                .contains("WATER             1    1      2")
                .doesNotContain("HOUSING    ")
                .contains("Missed eligible incidents: 1")
                .contains("I2 WATER-PIPE-BURST in Baoan, 2026-11-11 08:00 .. 2026-11-11 11:00,")
                .contains("effective x4.00 on WATER-PIPE-BURST x4.00 (usual 2 + extra 6)")
                .contains("Result: FAIL (recall, false alerts, median delay)");
        // JSON carries the same figures
        var json = r.toJson();
        assertThat(json.get("summary").get("recallEligible").asDouble()).isEqualTo(0.5);
        assertThat(json.get("summary").get("maxFalsePerCategoryWeek").asInt()).isEqualTo(2);
        assertThat(json.get("summary").get("pass").asBoolean()).isFalse();
        assertThat(json.get("falseAlertsPerCategoryWeek").get("NOISE").toString())
                .isEqualTo("[2,1]");
        assertThat(json.get("incidents").get(1).get("effectiveMultiplier").asDouble())
                .isEqualTo(4.0);
        assertThat(json.get("incidents").get(1).get("detected").asBoolean()).isFalse();
    }
}
