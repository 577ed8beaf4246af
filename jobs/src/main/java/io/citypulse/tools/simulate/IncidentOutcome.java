package io.citypulse.tools.simulate;

/**
 * One line of the ground truth: an incident as injected, with the volume it was expected to add and
 * the volume it did add to the output.
 *
 * @param ordinal k of the {@code I<k>} in the ids of the incident's tickets and leads
 * @param baselineTickets expected ordinary tickets in the incident's scope during its window (the
 *     part inside the run): the level the surge is measured against
 * @param expectedExtraTickets (multiplier - 1) x baselineTickets, plus the expected conversions of
 *     the extra leads
 * @param actualExtraTickets extra tickets created in the output (CREATED events), including those
 *     converted from the incident's leads
 * @param actualExtraTicketsFromLeads of those, the ones converted from the incident's leads
 * @param expectedExtraLeads expected extra leads (captures, reposts included); 0 when not
 *     lead-driven
 * @param actualExtraLeads extra leads captured in the output (CAPTURED events)
 */
record IncidentOutcome(
        Incident incident,
        int ordinal,
        double baselineTickets,
        double expectedExtraTickets,
        long actualExtraTickets,
        long actualExtraTicketsFromLeads,
        double expectedExtraLeads,
        long actualExtraLeads) {}
