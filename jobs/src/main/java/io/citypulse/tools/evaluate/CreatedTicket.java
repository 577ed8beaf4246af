package io.citypulse.tools.evaluate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A ticket's CREATED event, the fields the monitored series need. */
public record CreatedTicket(
        String ticketId,
        long eventTime,
        String categoryMajor,
        String categoryCode,
        String district) {

    private static final Pattern INCIDENT = Pattern.compile("-I(\\d+)-");

    /**
     * The ordinal k of the incident this ticket was injected by (its id carries {@code -I<k>-},
     * e.g. {@code T-2026110200-I3-00012} or, converted from an incident lead, {@code
     * TL-2026110123-I3-0002}), or 0 for an ordinary ticket.
     */
    public int incidentOrdinal() {
        Matcher m = INCIDENT.matcher(ticketId);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
