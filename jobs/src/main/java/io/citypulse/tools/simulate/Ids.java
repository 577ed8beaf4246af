package io.citypulse.tools.simulate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Id formats. Ids are deterministic (a pure function of the seed and the entity's place in the
 * simulated hour), readable, and unique across a run and across overlapping runs with the same
 * seed.
 *
 * <ul>
 *   <li>ticket: {@code T-2026110116-00042}: the 42nd arrival in the UTC hour 2026-11-01 16:00;
 *   <li>lead: {@code L-2026110116-0007};
 *   <li>ticket converted from a lead: {@code T} + lead id, e.g. {@code TL-2026110116-0007};
 *   <li>extra ticket or lead of the k-th incident: {@code T-2026110116-I2-00005}, {@code
 *       L-2026110116-I2-0003} (and {@code TL-2026110116-I2-0003} when converted);
 *   <li>event: entity id + {@code #} + position in the entity's lifecycle, e.g. {@code
 *       T-2026110116-00042#3}.
 * </ul>
 *
 * <p>The hour is labelled in UTC, not local time, because local hours repeat when daylight saving
 * time ends (the simulator runs in any zone) and a repeated label would repeat ids.
 */
final class Ids {

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    private static final long HOUR_MS = 3_600_000L;

    private Ids() {}

    /** UTC label of an epoch hour, e.g. {@code 2026110116}. */
    static String hourLabel(long epochHour) {
        return HOUR.format(Instant.ofEpochMilli(epochHour * HOUR_MS));
    }

    static String ticketId(String hourLabel, int sequence) {
        return "T-" + hourLabel + "-" + String.format("%05d", sequence);
    }

    static String leadId(String hourLabel, int sequence) {
        return "L-" + hourLabel + "-" + String.format("%04d", sequence);
    }

    static String incidentTicketId(String hourLabel, int incident, int sequence) {
        return "T-" + hourLabel + "-I" + incident + "-" + String.format("%05d", sequence);
    }

    static String incidentLeadId(String hourLabel, int incident, int sequence) {
        return "L-" + hourLabel + "-I" + incident + "-" + String.format("%04d", sequence);
    }

    static String convertedTicketId(String leadId) {
        return "T" + leadId;
    }

    static String eventId(String entityId, int position) {
        return entityId + "#" + position;
    }
}
