package io.citypulse.alerts.detector;

/**
 * What the detector has learned about one count series (e.g. tickets created of one item): its
 * usual count per hour of the week and per hour of the day, its over-dispersion, and, for a child
 * series (an item, or the category in one district), its share of the parent category.
 *
 * <p>Learning is online, one local hour at a time, and robust: the hour's count is first clipped to
 * {@code prediction + clipSd * sd}, so a surge moves the baseline only a little and cannot make
 * itself look normal. Slots average their first samples and then forget exponentially ({@code
 * weekAlpha} for the hour-of-week slots, which see one sample a week; {@code dayAlpha} for the
 * time-of-day slots, which see one a day), so the baseline follows slow drifts.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) with primitive arrays: about 1 KB serialized.
 */
public class SeriesModel {

    public float[] weekMean = new float[Seasons.WEEK_SLOTS];
    public byte[] weekN = new byte[Seasons.WEEK_SLOTS];
    public float[] dayMean = new float[Seasons.DAY_SLOTS];
    public byte[] dayN = new byte[Seasons.DAY_SLOTS];

    /** Exponentially decayed sums of (x - e)² - e and of e²: their ratio estimates 1/r. */
    public double dispersionNum;

    public double dispersionDen;

    /** Exponentially decayed sums of this series' and its parent's hourly counts. */
    public double shareNum;

    public double shareDen;

    /** End (exclusive) of the last hour learned; 0 before the first. */
    public long learnedUntil;

    public int hoursLearned;

    /** Forgetting rate of the dispersion sums: about a week of hours. */
    static final double DISPERSION_DECAY = 1.0 / 168;

    /** Forgetting rate of the share sums: about two weeks of hours. */
    static final double SHARE_DECAY = 1.0 / 336;

    /** Smallest expected hourly count of a known series. */
    static final double MIN_EXPECTED = 0.02;

    /** Samples a time-of-day slot needs before its predictions teach the dispersion. */
    static final int MATURE_SAMPLES = 3;

    /** The parent hours a share needs before it is trusted (total parent count). */
    static final double MIN_SHARE_EVIDENCE = 30;

    /**
     * This series' own estimate of a local hour's count, blending the hour-of-week slot with the
     * time-of-day slot ({@code dayWeight} pseudo-samples), or NaN when it has seen neither.
     */
    public double ownExpected(int weekSlot, int daySlot, DetectorSettings s) {
        double day = Double.NaN;
        if (dayN[daySlot] > 0) {
            day = dayMean[daySlot];
        } else if (dayN[Seasons.otherDayKind(daySlot)] > 0) {
            day = dayMean[Seasons.otherDayKind(daySlot)];
        }
        int n = weekN[weekSlot];
        if (n == 0) {
            return day;
        }
        double week = weekMean[weekSlot];
        if (Double.isNaN(day)) {
            return week;
        }
        return (n * week + s.dayWeight() * day) / (n + s.dayWeight());
    }

    /** The series' mean hourly count over all time-of-day slots seen, NaN before any. */
    public double level() {
        double sum = 0;
        double n = 0;
        for (int i = 0; i < Seasons.DAY_SLOTS; i++) {
            if (dayN[i] > 0) {
                sum += dayMean[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * How many observations the estimate of this hour rests on: the effective samples of the
     * exponentially weighted slots (at most about (2 - alpha) / alpha each), plus the parent's
     * pseudo-samples for a child. The estimate's own sampling error is about e / samples, which the
     * test adds to the over-dispersion, so a baseline learned from two Sundays is trusted less than
     * one learned from ten.
     */
    public double effectiveSamples(
            int weekSlot, int daySlot, boolean hasParent, DetectorSettings s) {
        int d = dayN[daySlot] > 0 ? dayN[daySlot] : dayN[Seasons.otherDayKind(daySlot)] / 2;
        double n =
                Math.min(d, (2 - s.dayAlpha()) / s.dayAlpha())
                        + Math.min(weekN[weekSlot], (2 - s.weekAlpha()) / s.weekAlpha());
        if (hasParent && !Double.isNaN(share())) {
            n += s.priorStrength();
        }
        return Math.max(n, 1);
    }

    /** Share of the parent's count, or NaN while there is too little evidence. */
    public double share() {
        return shareDen >= MIN_SHARE_EVIDENCE ? shareNum / shareDen : Double.NaN;
    }

    /** 1/r of the negative binomial, shrunk towards the prior. */
    public double inverseDispersion(DetectorSettings s) {
        double prior = 50; // weight of the prior, in units of e² (one hour with e about 7)
        double v = (dispersionNum + s.dispersionPrior() * prior) / (dispersionDen + prior);
        return Math.min(Math.max(v, 0), 2);
    }

    /**
     * The expected count of a local hour: for a series without a parent its own estimate once it
     * has {@code warmupHours} of history; for a child, its own estimate weighed against the
     * parent's expectation times its share ({@code priorStrength} pseudo-samples), which is the
     * cold start: a new item or district borrows the category's rhythm. NaN when unknown.
     *
     * @param parentExpected the parent's expected count for the same hour; NaN for a top series
     */
    public double expected(
            int weekSlot,
            int daySlot,
            double parentExpected,
            boolean hasParent,
            DetectorSettings s) {
        double e = blended(weekSlot, daySlot, parentExpected, hasParent, s);
        if (Double.isNaN(e)) {
            return e;
        }
        // A slot that happened to see nothing is not a promise of nothing: floor at a tenth of
        // the series' usual hour, so one event in a "zero" hour is not infinitely surprising.
        double level = level();
        return Math.max(e, Math.max(Double.isNaN(level) ? 0 : 0.1 * level, MIN_EXPECTED));
    }

    private double blended(
            int weekSlot,
            int daySlot,
            double parentExpected,
            boolean hasParent,
            DetectorSettings s) {
        double own =
                hoursLearned >= s.warmupHours() ? ownExpected(weekSlot, daySlot, s) : Double.NaN;
        if (!hasParent) {
            return own;
        }
        double prior = parentExpected * share();
        if (Double.isNaN(prior)) {
            return own;
        }
        if (Double.isNaN(own)) {
            return prior;
        }
        double n = dayN[daySlot];
        return (n * own + s.priorStrength() * prior) / (n + s.priorStrength());
    }

    /**
     * Learns one local hour.
     *
     * @param count the hour's count
     * @param predicted what was expected for it (NaN if nothing was)
     * @param parentCount the parent's count of the hour, or a negative number for a top series
     */
    public void learn(
            long hourEnd,
            double count,
            double predicted,
            int weekSlot,
            int daySlot,
            double parentCount,
            DetectorSettings s) {
        learn(hourEnd, count, predicted, weekSlot, daySlot, parentCount, true, s);
    }

    /**
     * As above; {@code calm} false (the key or its category was elevated in the hour) keeps the
     * hour out of the dispersion: an incident is not noise, and learning it as noise would make the
     * next incident look ordinary.
     */
    public void learn(
            long hourEnd,
            double count,
            double predicted,
            int weekSlot,
            int daySlot,
            double parentCount,
            boolean calm,
            DetectorSettings s) {
        double x = count;
        if (!Double.isNaN(predicted)) {
            double invR = inverseDispersion(s);
            double sd = Math.max(1.0, Math.sqrt(predicted + predicted * predicted * invR));
            x = Math.min(count, predicted + s.clipSd() * sd);
            if (calm && predicted >= 0.5 && dayN[daySlot] >= MATURE_SAMPLES) {
                // Dispersion only from mature predictions (early ones are off by their own
                // sampling error), and clipped against the prior's spread, not the learned one:
                // otherwise each surge widens the clip for the next and dispersion feeds on itself.
                double ref =
                        Math.max(
                                1.0,
                                Math.sqrt(predicted + predicted * predicted * s.dispersionPrior()));
                double d = Math.min(count, predicted + 2.5 * ref) - predicted;
                double estimation = predicted / effectiveSamples(weekSlot, daySlot, false, s);
                dispersionNum =
                        dispersionNum * (1 - DISPERSION_DECAY) + d * d - predicted - estimation;
                dispersionDen = dispersionDen * (1 - DISPERSION_DECAY) + predicted * predicted;
            }
        }
        int wn = weekN[weekSlot];
        weekMean[weekSlot] +=
                (float) (Math.max(1.0 / (wn + 1), s.weekAlpha()) * (x - weekMean[weekSlot]));
        weekN[weekSlot] = (byte) Math.min(wn + 1, 100);
        int dn = dayN[daySlot];
        dayMean[daySlot] +=
                (float) (Math.max(1.0 / (dn + 1), s.dayAlpha()) * (x - dayMean[daySlot]));
        dayN[daySlot] = (byte) Math.min(dn + 1, 100);
        if (parentCount >= 0) {
            shareNum = shareNum * (1 - SHARE_DECAY) + x;
            shareDen = shareDen * (1 - SHARE_DECAY) + parentCount;
        }
        learnedUntil = hourEnd;
        hoursLearned++;
    }
}
