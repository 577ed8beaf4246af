package io.citypulse.sla.records;

/** Status of a row of {@code sla_breaches}. */
public enum BreachStatus {
    /** The deadline has passed and the promise is still not kept. */
    OPEN,
    /** The promise was kept, but after the deadline; the row carries the fulfilment time. */
    FULFILLED_LATE,
    /**
     * A breach reported earlier turned out not to be one: an event that arrived behind the
     * watermark showed the promise was kept in time. Dashboards leave these rows out.
     */
    WITHDRAWN,
    /**
     * The ticket stayed open for the maximum ticket age; its state was dropped and the job stopped
     * tracking it. Written for every breach still open then, and for the resolution of a ticket
     * that never closed even if its due time is later.
     */
    ABANDONED
}
