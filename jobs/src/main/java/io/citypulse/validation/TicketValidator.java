package io.citypulse.validation;

import static io.citypulse.validation.EventChecks.blank;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * Decides whether a decoded ticket event is usable. A record can decode and still be wrong: an
 * event type this build does not know (a newer writer's symbol read as UNKNOWN), an empty id or
 * dimension, a code outside the catalogue, or an event time that cannot be true.
 */
public final class TicketValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EventChecks checks;

    /** Accepts any catalogue code. */
    public TicketValidator(Duration maxFuture) {
        this(maxFuture, null);
    }

    /** Rejects codes outside {@code knownCodes} (null: accept any). */
    public TicketValidator(Duration maxFuture, Set<String> knownCodes) {
        this.checks = new EventChecks(maxFuture, knownCodes);
    }

    /** Null when the event is usable; else what is wrong with it. */
    public Problem check(TicketEvent e, long nowMillis) {
        if (e.getType() == TicketEventType.UNKNOWN) {
            return new Problem("UNKNOWN_TYPE", "event type unknown to this build (newer writer?)");
        }
        if (blank(e.getEventId())) {
            return new Problem("MISSING_FIELD", "eventId is empty");
        }
        if (blank(e.getTicketId())) {
            return new Problem("MISSING_FIELD", "ticketId is empty");
        }
        if (blank(e.getCategoryCode()) || blank(e.getCategoryMajor())) {
            return new Problem("MISSING_FIELD", "categoryCode or categoryMajor is empty");
        }
        if (blank(e.getDistrict())) {
            return new Problem("MISSING_FIELD", "district is empty");
        }
        Problem time = checks.time(e.getEventTime(), nowMillis);
        return time != null ? time : checks.code(e.getCategoryCode());
    }
}
