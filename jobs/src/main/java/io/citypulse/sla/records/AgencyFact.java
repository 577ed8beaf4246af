package io.citypulse.sla.records;

import java.util.Objects;

/**
 * What one dispatched ticket contributes to its agency's day in {@code agency_daily}, as of some
 * event time. A ticket belongs to the agency of its first dispatch and to the local day of that
 * dispatch; its facts change as the ticket moves on (accepted, returned, resolved), and each change
 * is sent as a retraction of the old fact and an addition of the new one.
 */
public class AgencyFact {

    /** Resolution state of the ticket as of the fact. */
    public static final String PENDING = "PENDING";

    public static final String ON_TIME = "ON_TIME";
    public static final String LATE = "LATE";
    public static final String OPEN_PAST_DUE = "OPEN_PAST_DUE";

    /** Agency of the first dispatch. */
    public String agency;

    /** Local day of the first dispatch, in the job's zone, as days since 1970-01-01. */
    public int epochDay;

    /** EMERGENCY or GENERAL. */
    public String urgency;

    /** First dispatch minus creation, milliseconds. */
    public long latencyMs;

    /** The first dispatch came after the dispatch deadline. */
    public boolean dispatchedLate;

    /** The ticket was returned (退单) at least once. */
    public boolean returned;

    /** Accepted and never returned: the first dispatch succeeded (一次派单成功). */
    public boolean firstDispatchSuccess;

    /** {@link #PENDING}, {@link #ON_TIME}, {@link #LATE} or {@link #OPEN_PAST_DUE}. */
    public String resolution;

    public AgencyFact() {}

    public AgencyFact(
            String agency,
            int epochDay,
            String urgency,
            long latencyMs,
            boolean dispatchedLate,
            boolean returned,
            boolean firstDispatchSuccess,
            String resolution) {
        this.agency = agency;
        this.epochDay = epochDay;
        this.urgency = urgency;
        this.latencyMs = latencyMs;
        this.dispatchedLate = dispatchedLate;
        this.returned = returned;
        this.firstDispatchSuccess = firstDispatchSuccess;
        this.resolution = resolution;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgencyFact f
                && epochDay == f.epochDay
                && latencyMs == f.latencyMs
                && dispatchedLate == f.dispatchedLate
                && returned == f.returned
                && firstDispatchSuccess == f.firstDispatchSuccess
                && Objects.equals(agency, f.agency)
                && Objects.equals(urgency, f.urgency)
                && Objects.equals(resolution, f.resolution);
    }

    @Override
    public int hashCode() {
        return Objects.hash(agency, epochDay, urgency, latencyMs, returned, resolution);
    }

    @Override
    public String toString() {
        return "AgencyFact{"
                + agency
                + " day="
                + epochDay
                + " "
                + urgency
                + " latency="
                + latencyMs
                + (dispatchedLate ? " late" : "")
                + (returned ? " returned" : "")
                + (firstDispatchSuccess ? " success" : "")
                + " "
                + resolution
                + "}";
    }
}
