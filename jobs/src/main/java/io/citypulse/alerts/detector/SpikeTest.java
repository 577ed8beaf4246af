package io.citypulse.alerts.detector;

/**
 * The "too many?" test of one series over its recent windows: 15 minutes and 30 minutes catch a
 * sharp surge early, one hour the typical incident, three hours a slow rise, the last day a
 * category that keeps running above its level. A window counts as elevated only when all of these
 * hold:
 *
 * <ul>
 *   <li>the count is improbable: P(X >= observed) under a negative binomial with the expected mean
 *       and the series' learned over-dispersion is at most {@code pOpen} (so noisy series need
 *       more, and a small category is not flagged for 3 tickets instead of 1);
 *   <li>it is a volume worth a look: at least {@code minCount} events and {@code minExcess} above
 *       expectation;
 *   <li>it is a real multiple: at least {@code minRatio} times the expectation (a 10% rise of a
 *       huge category is significant but not a spike).
 * </ul>
 *
 * An open alert stays elevated on the looser {@code pStay} / {@code stayRatio} over the last 30
 * minutes or hour (or while a window of at most an hour still opens), which is the hysteresis that
 * keeps alerts from flapping without keeping them open on a long window's memory.
 */
public final class SpikeTest {

    /** Smallest expectation a window is tested against. */
    static final double MIN_WINDOW_EXPECTED = 1.0;

    /** Marks the day-long window in {@link #WINDOWS}. */
    static final int DAY = -1;

    /** Window lengths tested, in 5-minute buckets; the last is the day-long one. */
    static final int[] WINDOWS = {3, 6, 12, 36, DAY};

    /** Window lengths that keep an open alert open. */
    static final int[] STAY_WINDOWS = {6, 12};

    private SpikeTest() {}

    public static Evaluation evaluate(WindowRing ring, DetectorSettings s) {
        return evaluate(ring, s, Integer.MAX_VALUE);
    }

    /**
     * As {@link #evaluate(WindowRing, DetectorSettings)}, with windows of at most {@code
     * maxBuckets}: after an alert resolves, a new one must not open on a long window that still
     * holds the surge the resolved one was about.
     */
    public static Evaluation evaluate(WindowRing ring, DetectorSettings s, int maxBuckets) {
        double invR = ring.inverseDispersion;
        double r = invR <= 1e-9 ? Double.POSITIVE_INFINITY : 1.0 / invR;
        int bestW = 0; // no window opens
        long bestX = 0;
        double bestE = Double.NaN;
        double bestP = 1.0;
        // The one-hour window, reported when nothing opens; NaN: not tested
        long refX = 0;
        double refE = Double.NaN;
        double refP = 1.0;
        boolean stays = false;
        // The windows' sums in one walk from the newest bucket back (the windows are nested and
        // come shortest first), added in the order WindowRing's observed(w) and expected(w) add
        // them, so the same values: the walk of each window on its own, and the day's of the
        // current hour, were a sixth of the spike detector's thread on a year's replay.
        int walked = 0;
        int at = ring.head;
        long counted = 0;
        double expecting = 0;
        int hour = ring.bucketsThisHour;
        long hourCounted = 0;
        double hourExpecting = 0;
        for (int w : WINDOWS) {
            boolean day = w == DAY;
            if (day) {
                w = ring.dayBuckets();
            }
            if (w > maxBuckets) {
                continue;
            }
            int reach = Math.min(day ? hour : w, WindowRing.BUCKETS);
            while (walked < reach) {
                at = WindowRing.older(at);
                counted += ring.counts[at];
                expecting += ring.expected[at];
                walked++;
                if (walked == hour) {
                    hourCounted = counted;
                    hourExpecting = expecting;
                }
            }
            double e = day ? ring.expectedHours() + hourExpecting : expecting;
            if (Double.isNaN(e)) {
                continue;
            }
            long x = day ? ring.observedHours() + hourCounted : counted;
            // The tail sum costs a loop over the count: skip it where neither rule could pass.
            boolean plausible = x >= s.stayRatio() * e && x - e >= 1;
            // Tested against at least one event per window: a handful of events where a fraction
            // of one was expected is how a thousand small series produce false alarms.
            double p =
                    plausible ? CountTail.upperTail(x, Math.max(e, MIN_WINDOW_EXPECTED), r) : 1.0;
            boolean opens =
                    p <= s.pOpen()
                            && x >= s.minCount()
                            && x - e >= s.minExcess()
                            && x >= s.minRatio() * e;
            if (isStayWindow(w) && p <= s.pStay() && x >= s.stayRatio() * e && x - e >= 1) {
                stays = true;
            }
            // The most improbable window that opens, else the one-hour window: kept as numbers,
            // so that a step makes one Evaluation per series, not one per window.
            if (opens && (bestW == 0 || p < bestP)) {
                bestW = w;
                bestX = x;
                bestE = e;
                bestP = p;
            }
            if (w == 12) {
                refX = x;
                refE = e;
                refP = p;
            }
        }
        boolean opens = bestW != 0;
        if (!opens) {
            if (Double.isNaN(refE)) {
                return Evaluation.UNTESTABLE;
            }
            return new Evaluation(12, refX, refE, refP, false, stays);
        }
        // An open alert stays open on what happens now (30 minutes, 1 hour), not on a 3-hour
        // window that still remembers the surge after it ended.
        return new Evaluation(bestW, bestX, bestE, bestP, true, stays || bestW <= 12);
    }

    private static boolean isStayWindow(int w) {
        for (int s : STAY_WINDOWS) {
            if (s == w) {
                return true;
            }
        }
        return false;
    }
}
