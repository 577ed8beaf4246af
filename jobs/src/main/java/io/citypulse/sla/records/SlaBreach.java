package io.citypulse.sla.records;

import java.util.Objects;

/**
 * A row of {@code sla_breaches}: one broken (or, for ABANDONED, given-up) promise of one ticket.
 * The identity is ({@code ticketId}, {@code slaKind}); each change of the row is written again with
 * a higher {@code version}, and the table keeps the highest.
 */
public class SlaBreach {

    public String ticketId;

    /** A {@link SlaKind} name. */
    public String slaKind;

    public String urgency;
    public boolean expedited;
    public String categoryMajor;
    public String categoryCode;
    public String district;

    /**
     * DISPATCH: agency of the first dispatch (null while undispatched). RESOLUTION: agency of the
     * latest dispatch as of the row (null if never dispatched).
     */
    public String agency;

    /** Creation (intake) time, epoch ms. */
    public long created;

    /** The deadline that was missed, epoch ms. */
    public long deadline;

    /** When the promise was finally kept (first dispatch, final resolution), or null. */
    public Long fulfilled;

    /**
     * FULFILLED_LATE: fulfilled minus deadline; ABANDONED: abandonment time minus deadline (at
     * least 0); OPEN and WITHDRAWN: null (an open breach grows; dashboards compute it from now).
     */
    public Double minutesOverdue;

    /** A {@link BreachStatus} name. */
    public String status;

    /**
     * Event time (ms) as of which the row is true, made strictly increasing per row: replays of the
     * same events produce the same versions, so re-writing them is idempotent.
     */
    public long version;

    public SlaBreach() {}

    public boolean is(BreachStatus s) {
        return status.equals(s.name());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlaBreach b
                && expedited == b.expedited
                && created == b.created
                && deadline == b.deadline
                && version == b.version
                && Objects.equals(ticketId, b.ticketId)
                && Objects.equals(slaKind, b.slaKind)
                && Objects.equals(urgency, b.urgency)
                && Objects.equals(categoryMajor, b.categoryMajor)
                && Objects.equals(categoryCode, b.categoryCode)
                && Objects.equals(district, b.district)
                && Objects.equals(agency, b.agency)
                && Objects.equals(fulfilled, b.fulfilled)
                && Objects.equals(minutesOverdue, b.minutesOverdue)
                && Objects.equals(status, b.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticketId, slaKind, status, version);
    }

    @Override
    public String toString() {
        return "SlaBreach{"
                + ticketId
                + " "
                + slaKind
                + " "
                + status
                + " deadline="
                + deadline
                + " fulfilled="
                + fulfilled
                + " overdue="
                + minutesOverdue
                + " agency="
                + agency
                + " v="
                + version
                + "}";
    }
}
