package io.citypulse.alerts.detector;

import java.util.Arrays;

/**
 * The recent 5-minute counts of one series and what was expected for each, newest last: enough for
 * the detector's longest window ({@value #BUCKETS} buckets = 3 hours). A Flink POJO.
 */
public class WindowRing {

    public static final int BUCKETS = 36;

    public int[] counts = new int[BUCKETS];
    public float[] expected = new float[BUCKETS];

    /** Index of the oldest bucket (the next to be overwritten). */
    public int head;

    /** The last {@value #HOURS} complete local hours, for the day-long window. */
    public static final int HOURS = 23;

    public int[] hourCounts = new int[HOURS];
    public float[] hourExpecteds = new float[HOURS];
    public int hourHead;

    /** Buckets pushed since the current local hour started. */
    public int bucketsThisHour;

    /** Expected count of the current local hour, NaN when not known; set at each hour start. */
    public double hourExpected = Double.NaN;

    /** 1/r for the current hour. */
    public double inverseDispersion;

    public WindowRing() {
        Arrays.fill(expected, Float.NaN);
        Arrays.fill(hourExpecteds, Float.NaN);
    }

    /** At a local hour start: keeps the finished hour's count and expectation. */
    public void pushHour(int count, double expectedCount) {
        hourCounts[hourHead] = count;
        hourExpecteds[hourHead] = (float) expectedCount;
        hourHead = (hourHead + 1) % HOURS;
        bucketsThisHour = 0;
    }

    /**
     * Length in buckets of the day-long window: the last 23 complete hours and the current one so
     * far.
     */
    public int dayBuckets() {
        return HOURS * 12 + bucketsThisHour;
    }

    /** Count of the day-long window. */
    public long observedDay() {
        return observedHours() + observed(bucketsThisHour);
    }

    /** Expected count of the day-long window, NaN while less than a day is known. */
    public double expectedDay() {
        return expectedHours() + expected(bucketsThisHour);
    }

    /** Count of the last {@value #HOURS} complete hours. */
    public long observedHours() {
        long sum = 0;
        for (int c : hourCounts) {
            sum += c;
        }
        return sum;
    }

    /** Expected count of the last {@value #HOURS} complete hours, NaN while one is not known. */
    public double expectedHours() {
        double sum = 0;
        for (float e : hourExpecteds) {
            sum += e;
        }
        return sum;
    }

    /** Appends the newest bucket, dropping the oldest. */
    public void push(int count, double expectedCount) {
        counts[head] = count;
        expected[head] = (float) expectedCount;
        head = (head + 1) % BUCKETS;
        bucketsThisHour = Math.min(bucketsThisHour + 1, 12);
    }

    /** Count in the newest {@code buckets} buckets. */
    public long observed(int buckets) {
        long sum = 0;
        for (int i = 1; i <= buckets; i++) {
            sum += counts[index(i)];
        }
        return sum;
    }

    /** Expected count of the newest {@code buckets} buckets, NaN if any of them was unknown. */
    public double expected(int buckets) {
        double sum = 0;
        for (int i = 1; i <= buckets; i++) {
            sum += expected[index(i)];
        }
        return sum;
    }

    /** Count of the newest bucket. */
    public int last() {
        return counts[index(1)];
    }

    /** Expected count of the newest bucket. */
    public double lastExpected() {
        return expected[index(1)];
    }

    /** True when nothing was counted in the whole ring, the last day's hours included. */
    public boolean quiet() {
        for (int c : counts) {
            if (c != 0) {
                return false;
            }
        }
        for (int c : hourCounts) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of the bucket before {@code index} (the next older one). */
    static int older(int index) {
        return index == 0 ? BUCKETS - 1 : index - 1;
    }

    private int index(int back) {
        return Math.floorMod(head - back, BUCKETS);
    }
}
