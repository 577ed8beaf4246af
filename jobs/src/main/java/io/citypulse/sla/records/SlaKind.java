package io.citypulse.sla.records;

/** Which promise a row of {@code sla_breaches} is about. */
public enum SlaKind {
    /** First dispatch within the dispatch limit of the ticket (30 min emergency, 2 h general). */
    DISPATCH,
    /** Resolved (RESOLVED or CLOSED) by the ticket's due time, and not reopened after it. */
    RESOLUTION
}
