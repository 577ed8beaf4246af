package io.citypulse.sla.records;

import java.util.Arrays;
import java.util.List;

/**
 * Running aggregate of one (agency, day) of {@code agency_daily} (keyed state of {@code
 * AgencyDailyFunction}): counters, plus every dispatch latency of the day per urgency in a sorted
 * array, so percentiles are exact. An agency receives at most a few thousand tickets a day, so the
 * arrays stay in the tens of kilobytes.
 *
 * <p>The latencies are primitive {@code long}s: the first {@link #emergencyCount} (or {@link
 * #generalCount}) elements of the array, ascending, and spare capacity after them. Until 2026-11-29
 * they were boxed {@code List<Long>}s, whose binary searches and inserts chased a pointer per
 * value; the state of an older savepoint still holds them in {@link #emergencyLatencies} and {@link
 * #generalLatencies}, which move into the arrays at the first read or change.
 */
public class AgencyDayAccumulator {

    private static final long[] NONE = new long[0];

    public String agency;
    public int epochDay;

    public int ticketsDispatched;
    public int ticketsReturned;
    public int firstDispatchSuccess;
    public int dispatchedLate;
    public int resolvedOnTime;
    public int resolvedLate;
    public int openPastDue;

    /** Latencies (ms) of EMERGENCY tickets: the first {@link #emergencyCount} ascending. */
    public long[] emergencyMs = NONE;

    public int emergencyCount;

    /** Latencies (ms) of GENERAL tickets: the first {@link #generalCount} ascending. */
    public long[] generalMs = NONE;

    public int generalCount;

    /**
     * Only in the state of savepoints before the arrays: EMERGENCY latencies ascending, or null.
     */
    public List<Long> emergencyLatencies;

    /** Only in the state of savepoints before the arrays: GENERAL latencies ascending, or null. */
    public List<Long> generalLatencies;

    public AgencyDayAccumulator() {}

    /** Adds ({@code sign = +1}) or removes ({@code -1}) one ticket's fact. */
    public void apply(int sign, AgencyFact f) {
        upgrade();
        ticketsDispatched += sign;
        ticketsReturned += f.returned ? sign : 0;
        firstDispatchSuccess += f.firstDispatchSuccess ? sign : 0;
        dispatchedLate += f.dispatchedLate ? sign : 0;
        resolvedOnTime += AgencyFact.ON_TIME.equals(f.resolution) ? sign : 0;
        resolvedLate += AgencyFact.LATE.equals(f.resolution) ? sign : 0;
        openPastDue += AgencyFact.OPEN_PAST_DUE.equals(f.resolution) ? sign : 0;
        boolean emergency = "EMERGENCY".equals(f.urgency);
        long[] values = emergency ? emergencyMs : generalMs;
        int n = emergency ? emergencyCount : generalCount;
        int at = Arrays.binarySearch(values, 0, n, f.latencyMs);
        if (sign > 0) {
            int to = at >= 0 ? at : -at - 1;
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.max(8, n + (n >> 1)));
            }
            System.arraycopy(values, to, values, to + 1, n - to);
            values[to] = f.latencyMs;
            n++;
        } else if (at >= 0) {
            System.arraycopy(values, at + 1, values, at, n - at - 1);
            n--;
        } else {
            return;
        }
        if (emergency) {
            emergencyMs = values;
            emergencyCount = n;
        } else {
            generalMs = values;
            generalCount = n;
        }
    }

    /** The number of latencies of EMERGENCY ({@code true}) or GENERAL tickets. */
    public int latencyCount(boolean emergency) {
        upgrade();
        return emergency ? emergencyCount : generalCount;
    }

    /**
     * The nearest-rank {@code percent}-th percentile (ms) of the latencies of EMERGENCY ({@code
     * true}) or GENERAL tickets, or null when there are none.
     */
    public Long latencyPercentile(boolean emergency, int percent) {
        upgrade();
        return emergency
                ? Percentiles.nearestRank(emergencyMs, emergencyCount, percent)
                : Percentiles.nearestRank(generalMs, generalCount, percent);
    }

    public boolean isEmpty() {
        return ticketsDispatched == 0;
    }

    /** Moves the boxed lists of an older savepoint's state into the arrays. */
    private void upgrade() {
        if (emergencyLatencies != null) {
            emergencyMs = unboxed(emergencyLatencies);
            emergencyCount = emergencyMs.length;
            emergencyLatencies = null;
        }
        if (generalLatencies != null) {
            generalMs = unboxed(generalLatencies);
            generalCount = generalMs.length;
            generalLatencies = null;
        }
    }

    private static long[] unboxed(List<Long> sorted) {
        long[] values = new long[sorted.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = sorted.get(i);
        }
        return values;
    }
}
