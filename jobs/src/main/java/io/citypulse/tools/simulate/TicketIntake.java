package io.citypulse.tools.simulate;

import io.citypulse.avro.Location;
import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.CatalogueItem;

/**
 * What is decided when a ticket is created, and carried unchanged on every event of the ticket.
 *
 * @param street sub-district, or null when unknown
 * @param sourceLeadId id of the lead the ticket was converted from, or null
 * @param location geocoded point, or null
 */
record TicketIntake(
        String ticketId,
        long createdMs,
        String channel,
        CatalogueItem item,
        String district,
        String street,
        Urgency urgency,
        boolean expedited,
        String sourceLeadId,
        Location location) {

    /** Resolution deadline: creation plus the item's default resolution time. */
    long dueMs() {
        return createdMs + item.resolutionHours() * 3_600_000L;
    }
}
