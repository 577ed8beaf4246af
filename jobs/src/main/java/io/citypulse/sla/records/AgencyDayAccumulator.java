package io.citypulse.sla.records;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Running aggregate of one (agency, day) of {@code agency_daily} (keyed state of {@code
 * AgencyDailyFunction}): counters, plus every dispatch latency of the day per urgency in a sorted
 * list, so percentiles are exact. An agency receives at most a few thousand tickets a day, so the
 * lists stay in the tens of kilobytes.
 */
public class AgencyDayAccumulator {

    public String agency;
    public int epochDay;

    public int ticketsDispatched;
    public int ticketsReturned;
    public int firstDispatchSuccess;
    public int dispatchedLate;
    public int resolvedOnTime;
    public int resolvedLate;
    public int openPastDue;

    /** Latencies (ms) of EMERGENCY tickets, ascending. */
    public List<Long> emergencyLatencies = new ArrayList<>();

    /** Latencies (ms) of GENERAL tickets, ascending. */
    public List<Long> generalLatencies = new ArrayList<>();

    public AgencyDayAccumulator() {}

    /** Adds ({@code sign = +1}) or removes ({@code -1}) one ticket's fact. */
    public void apply(int sign, AgencyFact f) {
        ticketsDispatched += sign;
        ticketsReturned += f.returned ? sign : 0;
        firstDispatchSuccess += f.firstDispatchSuccess ? sign : 0;
        dispatchedLate += f.dispatchedLate ? sign : 0;
        resolvedOnTime += AgencyFact.ON_TIME.equals(f.resolution) ? sign : 0;
        resolvedLate += AgencyFact.LATE.equals(f.resolution) ? sign : 0;
        openPastDue += AgencyFact.OPEN_PAST_DUE.equals(f.resolution) ? sign : 0;
        List<Long> latencies =
                "EMERGENCY".equals(f.urgency) ? emergencyLatencies : generalLatencies;
        int at = Collections.binarySearch(latencies, f.latencyMs);
        if (sign > 0) {
            latencies.add(at >= 0 ? at : -at - 1, f.latencyMs);
        } else if (at >= 0) {
            latencies.remove(at);
        }
    }

    public boolean isEmpty() {
        return ticketsDispatched == 0;
    }
}
