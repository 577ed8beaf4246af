package io.citypulse.alerts.detector;

import java.io.Serializable;

/**
 * The detector's thresholds, one immutable object. Defaults are chosen for real citizen-request
 * data (over-dispersed counts, small categories), not for the simulator; see the README's detector
 * section for why each value is what it is.
 *
 * @param pOpen a key opens an alert when some window's count has tail probability at most this
 * @param pStay an open alert stays elevated while its 30-minute or 1-hour window is at most this
 * @param minCount a window needs at least this many events to open an alert (minimum volume)
 * @param minExcess ... and at least this many above the expected count
 * @param minRatio ... and at least this multiple of the expected count
 * @param stayRatio an open alert stays elevated only at this multiple or more
 * @param priorStrength pseudo-observations of the parent's shape a child's own slot estimate is
 *     weighed against (cold start borrows from the parent category)
 * @param dayWeight pseudo-observations of the time-of-day slot against the hour-of-week slot
 * @param weekAlpha learning rate of the hour-of-week slots (one sample a week)
 * @param dayAlpha learning rate of the time-of-day slots (one sample a day)
 * @param clipSd an hour is learned at most this many standard deviations above its prediction, so a
 *     surge does not poison its own baseline
 * @param dispersionPrior prior 1/r of the negative binomial (variance = mean + mean²/r)
 * @param warmupHours hours of history a key without a parent needs before it is tested
 */
public record DetectorSettings(
        double pOpen,
        double pStay,
        long minCount,
        double minExcess,
        double minRatio,
        double stayRatio,
        double priorStrength,
        double dayWeight,
        double weekAlpha,
        double dayAlpha,
        double clipSd,
        double dispersionPrior,
        int warmupHours)
        implements Serializable {

    public static final DetectorSettings DEFAULTS =
            new DetectorSettings(1e-5, 1e-2, 8, 6, 1.5, 1.2, 4, 2, 0.25, 0.15, 2.0, 0.02, 24);

    public DetectorSettings {
        if (!(pOpen > 0 && pOpen < 1 && pStay >= pOpen && pStay < 1)) {
            throw new IllegalArgumentException(
                    "need 0 < p-open <= p-stay < 1, got " + pOpen + " and " + pStay);
        }
        if (minCount < 1 || minExcess < 0 || minRatio < 1 || stayRatio < 1) {
            throw new IllegalArgumentException(
                    "need min-count >= 1, min-excess >= 0, min-ratio >= 1, stay-ratio >= 1");
        }
        if (warmupHours < 1) {
            throw new IllegalArgumentException("warm-up must be at least one hour");
        }
    }
}
