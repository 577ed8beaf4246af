package io.citypulse.sla.records;

import java.util.Objects;

/**
 * A row of {@code agency_daily}: the performance of one agency for the tickets first dispatched to
 * it on one local day. The row is re-written (higher {@code version}) as those tickets progress.
 */
public class AgencyDaily {

    /** Local day, ISO {@code yyyy-MM-dd}, in the job's zone. */
    public String day;

    public String agency;

    /** Tickets whose first dispatch went to the agency that day. */
    public int ticketsDispatched;

    /** Of those, tickets returned (退单) at least once. */
    public int ticketsReturned;

    /** Of those, tickets accepted without any return. */
    public int firstDispatchSuccess;

    /**
     * {@code firstDispatchSuccess / (firstDispatchSuccess + ticketsReturned)}: the share of decided
     * first dispatches that succeeded; null while none is decided.
     */
    public Double firstDispatchSuccessRate;

    /** Of those, first dispatched after the dispatch deadline. */
    public int dispatchedLate;

    public int emergencyDispatched;

    /** Dispatch latency (first dispatch minus creation) percentiles in minutes; null if none. */
    public Double emergencyLatencyP50Min;

    public Double emergencyLatencyP90Min;
    public int generalDispatched;
    public Double generalLatencyP50Min;
    public Double generalLatencyP90Min;

    /** Resolved by the due time (and not reopened after it). */
    public int resolvedOnTime;

    /** Resolved, but after the due time. */
    public int resolvedLate;

    /** Not resolved and past the due time. */
    public int openPastDue;

    /** Event time (ms) of the emission: the highest version of a (day, agency) is current. */
    public long version;

    public AgencyDaily() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof AgencyDaily a
                && ticketsDispatched == a.ticketsDispatched
                && ticketsReturned == a.ticketsReturned
                && firstDispatchSuccess == a.firstDispatchSuccess
                && dispatchedLate == a.dispatchedLate
                && emergencyDispatched == a.emergencyDispatched
                && generalDispatched == a.generalDispatched
                && resolvedOnTime == a.resolvedOnTime
                && resolvedLate == a.resolvedLate
                && openPastDue == a.openPastDue
                && version == a.version
                && Objects.equals(day, a.day)
                && Objects.equals(agency, a.agency)
                && Objects.equals(firstDispatchSuccessRate, a.firstDispatchSuccessRate)
                && Objects.equals(emergencyLatencyP50Min, a.emergencyLatencyP50Min)
                && Objects.equals(emergencyLatencyP90Min, a.emergencyLatencyP90Min)
                && Objects.equals(generalLatencyP50Min, a.generalLatencyP50Min)
                && Objects.equals(generalLatencyP90Min, a.generalLatencyP90Min);
    }

    @Override
    public int hashCode() {
        return Objects.hash(day, agency, version);
    }

    @Override
    public String toString() {
        return "AgencyDaily{"
                + day
                + " "
                + agency
                + " dispatched="
                + ticketsDispatched
                + " returned="
                + ticketsReturned
                + " success="
                + firstDispatchSuccess
                + " late="
                + dispatchedLate
                + " E="
                + emergencyDispatched
                + "("
                + emergencyLatencyP50Min
                + "/"
                + emergencyLatencyP90Min
                + ") G="
                + generalDispatched
                + "("
                + generalLatencyP50Min
                + "/"
                + generalLatencyP90Min
                + ") onTime="
                + resolvedOnTime
                + " resolvedLate="
                + resolvedLate
                + " openPastDue="
                + openPastDue
                + " v="
                + version
                + "}";
    }
}
