package io.citypulse.validation;

import static io.citypulse.validation.EventChecks.blank;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * Decides whether a decoded lead event is usable; the lead counterpart of {@link TicketValidator}.
 */
public final class LeadValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EventChecks checks;

    public LeadValidator(Duration maxFuture, Set<String> knownCodes) {
        this.checks = new EventChecks(maxFuture, knownCodes);
    }

    public Problem check(LeadEvent e, long nowMillis) {
        if (e.getType() == LeadEventType.UNKNOWN) {
            return new Problem("UNKNOWN_TYPE", "event type unknown to this build (newer writer?)");
        }
        if (blank(e.getEventId())) {
            return new Problem("MISSING_FIELD", "eventId is empty");
        }
        if (blank(e.getLeadId())) {
            return new Problem("MISSING_FIELD", "leadId is empty");
        }
        if (blank(e.getCategoryCode()) || blank(e.getCategoryMajor())) {
            return new Problem("MISSING_FIELD", "categoryCode or categoryMajor is empty");
        }
        if (blank(e.getPlatform())) {
            return new Problem("MISSING_FIELD", "platform is empty");
        }
        Problem time = checks.time(e.getEventTime(), nowMillis);
        return time != null ? time : checks.code(e.getCategoryCode());
    }
}
