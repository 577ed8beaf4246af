package io.citypulse.alerts.functions;

import io.citypulse.alerts.detector.DetectorSettings;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the spike detector decides and how alerts live, one immutable object.
 *
 * @param detector the statistical test and the baseline's learning
 * @param zone local clock of hours, days and weeks
 * @param updateEvery an open, still elevated alert is re-announced (UPDATED) at most this often
 * @param resolveAfter an open alert is RESOLVED after being back to normal this long
 * @param escalateAfter an alert elevated this long moves to case-category treatment (ESCALATED)
 * @param escalateDays ... as does a key elevated on this many days of the last 7
 * @param concentration a child key (item, district) raises its own alert while its category's alert
 *     is open only when its ratio to expectation is at least this multiple of the category's;
 *     otherwise it adds no information and stays part of the category's alert
 * @param majorNamesZh Chinese names of the major categories, for the summaries
 * @param emitEvaluations also emit every series' verdict at every step (side output, for tuning)
 */
public record AlertRules(
        DetectorSettings detector,
        ZoneId zone,
        Duration updateEvery,
        Duration resolveAfter,
        Duration escalateAfter,
        int escalateDays,
        double concentration,
        Map<String, String> majorNamesZh,
        boolean emitEvaluations)
        implements Serializable {

    public AlertRules {
        if (resolveAfter.toMinutes() < 5 || updateEvery.toMinutes() < 5) {
            throw new IllegalArgumentException(
                    "resolve-after and update-every must be at least one 5-minute step");
        }
        if (escalateDays < 1 || escalateDays > 7) {
            throw new IllegalArgumentException("escalate-days must be between 1 and 7");
        }
        if (concentration < 1) {
            throw new IllegalArgumentException("concentration must be at least 1");
        }
        majorNamesZh = new TreeMap<>(majorNamesZh);
    }

    public static AlertRules defaults(ZoneId zone, Map<String, String> majorNamesZh) {
        return new AlertRules(
                DetectorSettings.DEFAULTS,
                zone,
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofHours(24),
                3,
                1.5,
                majorNamesZh,
                false);
    }

    public AlertRules withEvaluations() {
        return new AlertRules(
                detector,
                zone,
                updateEvery,
                resolveAfter,
                escalateAfter,
                escalateDays,
                concentration,
                majorNamesZh,
                true);
    }

    int resolveAfterSteps() {
        return (int) Math.max(1, resolveAfter.toMillis() / SpikeDetector.BUCKET_MS);
    }
}
