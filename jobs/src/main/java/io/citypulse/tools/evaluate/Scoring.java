package io.citypulse.tools.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scoring rules (see {@link EvaluateDetector} for the prose): pure functions of the truth, the
 * incidents' measured levels, the alerts and the start of the scoring period.
 */
final class Scoring {

    static final long MINUTE_MS = 60_000L;
    static final long HOUR_MS = 60 * MINUTE_MS;
    static final long WEEK_MS = 7 * 24 * HOUR_MS;

    /** An incident is eligible from this effective multiplier on. */
    static final double MIN_EFFECTIVE_MULTIPLIER = 2.0;

    /** ... and from this duration on. */
    static final long MIN_DURATION_MS = HOUR_MS;

    /** Matching alerts may open this long before the incident (its lead surge, if lead-driven). */
    static final long EARLY_SLACK_MS = 30 * MINUTE_MS;

    /** An alert opened this long after the incident's end still belongs to it (not false). */
    static final long LATE_SLACK_MS = HOUR_MS;

    /** Targets. */
    static final double TARGET_RECALL = 0.95;

    static final int TARGET_MAX_FALSE_PER_CATEGORY_WEEK = 1;
    static final long TARGET_MEDIAN_DELAY_MS = 15 * MINUTE_MS;

    private Scoring() {}

    /** True when the alert's key can be raised by the incident's surge. */
    static boolean scopeCompatible(AlertRecord a, TruthIncident i) {
        if (!a.categoryMajor().equals(i.categoryMajor())) {
            return false;
        }
        return switch (a.scope()) {
            // A surge of one item (or one district) of the major raises the major's count.
            case "CATEGORY" -> true;
            // The incident's own item, or any item of a whole-major surge (which raises every
            // item of the major in proportion): a true consequence, not a false alert.
            case "ITEM" -> i.categoryCode() == null || i.categoryCode().equals(a.categoryCode());
            // The incident's own district, or any district of a city-wide surge.
            case "DISTRICT" -> i.district() == null || i.district().equals(a.district());
            default -> true; // an unknown scope of the right major: judged as CATEGORY
        };
    }

    /**
     * First instant a matching alert may open: (lead start if lead-driven, else start) - 30 min.
     */
    static long detectionStart(TruthIncident i) {
        long from =
                i.leadDriven() && i.leadStart() != null
                        ? Math.min(i.leadStart(), i.start())
                        : i.start();
        return from - EARLY_SLACK_MS;
    }

    /** The alert belongs to the incident: compatible key, opened in [detectionStart, end + 1 h]. */
    static boolean matches(AlertRecord a, TruthIncident i) {
        return scopeCompatible(a, i)
                && a.openedAt() >= detectionStart(i)
                && a.openedAt() <= i.end() + LATE_SLACK_MS;
    }

    /** The alert detects the incident: it matches and opened by the end, [detectionStart, end]. */
    static boolean detects(AlertRecord a, TruthIncident i) {
        return matches(a, i) && a.openedAt() <= i.end();
    }

    /** Effective multiplier: the largest (usual + extra) / usual over the incident's series. */
    static double effectiveMultiplier(List<IncidentLevels.SeriesCount> series) {
        double best = 0;
        for (IncidentLevels.SeriesCount s : series) {
            best = Math.max(best, s.multiplier());
        }
        return best;
    }

    /**
     * Scores the alerts.
     *
     * @param levels per incident id, its series counts ({@link IncidentLevels#result()})
     * @param scoringStart start of the scoring period (end of the warm-up), epoch ms
     */
    static Report score(
            Truth truth,
            Map<String, List<IncidentLevels.SeriesCount>> levels,
            List<AlertRecord> alerts,
            long scoringStart) {
        List<AlertRecord> byOpened = new ArrayList<>(alerts);
        byOpened.sort(
                Comparator.comparingLong(AlertRecord::openedAt)
                        .thenComparing(AlertRecord::alertId));

        List<Report.IncidentResult> results = new ArrayList<>();
        for (TruthIncident i : truth.incidents()) {
            List<IncidentLevels.SeriesCount> series = levels.getOrDefault(i.id(), List.of());
            double effective = effectiveMultiplier(series);
            long duration = Math.min(i.end(), truth.end()) - i.start();
            List<String> reasons = new ArrayList<>();
            if (effective < MIN_EFFECTIVE_MULTIPLIER) {
                reasons.add("effective multiplier below " + MIN_EFFECTIVE_MULTIPLIER);
            }
            if (duration < MIN_DURATION_MS) {
                reasons.add("shorter than 1 h");
            }
            if (i.start() < scoringStart) {
                reasons.add("starts in the warm-up");
            }
            AlertRecord first = null;
            int matched = 0;
            for (AlertRecord a : byOpened) {
                if (matches(a, i)) {
                    matched++;
                    if (first == null && detects(a, i)) {
                        first = a;
                    }
                }
            }
            results.add(
                    new Report.IncidentResult(
                            i,
                            series,
                            effective,
                            duration,
                            reasons.isEmpty(),
                            List.copyOf(reasons),
                            matched,
                            first,
                            first == null ? null : first.openedAt() - i.start()));
        }

        int weeks = (int) Math.max(1, ceilDiv(truth.end() - scoringStart, WEEK_MS));
        List<AlertRecord> scored = new ArrayList<>();
        List<AlertRecord> falseAlerts = new ArrayList<>();
        int warmUp = 0;
        int outside = 0;
        Map<String, int[]> falsePerWeek = new TreeMap<>();
        for (AlertRecord a : byOpened) {
            if (a.openedAt() < scoringStart) {
                warmUp++;
                continue;
            }
            if (a.openedAt() >= truth.end()) {
                outside++;
                continue;
            }
            scored.add(a);
            boolean matchesAny = truth.incidents().stream().anyMatch(i -> matches(a, i));
            if (!matchesAny) {
                falseAlerts.add(a);
                int week = (int) ((a.openedAt() - scoringStart) / WEEK_MS);
                falsePerWeek.computeIfAbsent(a.categoryMajor(), k -> new int[weeks])[week]++;
            }
        }
        return new Report(
                truth,
                scoringStart,
                weeks,
                List.copyOf(results),
                scored.size(),
                scored.size() - falseAlerts.size(),
                warmUp,
                outside,
                List.copyOf(falseAlerts),
                falsePerWeek);
    }

    /** Nearest-rank percentile (an observed value): the ceil(p x n)-th smallest; null if empty. */
    static Long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
