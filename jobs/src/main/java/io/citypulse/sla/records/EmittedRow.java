package io.citypulse.sla.records;

import java.util.Objects;

/**
 * What the SLA job last wrote for one (ticket, SLA kind) row of {@code sla_breaches}, kept in the
 * ticket's state so that a row is written again only when its content changes, with a higher
 * version.
 */
public class EmittedRow {

    /** A {@link BreachStatus} name. */
    public String status;

    public long deadline;

    /** Fulfilment time, or null. */
    public Long fulfilled;

    /** Agency written in the row, or null. */
    public String agency;

    public long version;

    public EmittedRow() {}

    public EmittedRow(
            BreachStatus status, long deadline, Long fulfilled, String agency, long version) {
        this.status = status.name();
        this.deadline = deadline;
        this.fulfilled = fulfilled;
        this.agency = agency;
        this.version = version;
    }

    /** True if a row with this content was already written. */
    public boolean sameContent(BreachStatus s, long d, Long f, String a) {
        return status.equals(s.name())
                && deadline == d
                && Objects.equals(fulfilled, f)
                && Objects.equals(agency, a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmittedRow r
                && deadline == r.deadline
                && version == r.version
                && Objects.equals(status, r.status)
                && Objects.equals(fulfilled, r.fulfilled)
                && Objects.equals(agency, r.agency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, deadline, fulfilled, agency, version);
    }
}
