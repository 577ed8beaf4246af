package io.citypulse.validation;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a decoded ticket event is usable. A record can decode and still be wrong: an
 * event type this build does not know (a newer writer's symbol read as UNKNOWN), an empty id or
 * dimension, or an event time that cannot be true (before 2000, or further in the future than clock
 * skew explains). Such a time would drag the watermark and make every later event late, so it is
 * rejected here, before watermarks are assigned.
 */
public final class TicketValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Earliest believable event time. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private final long maxFutureMillis;

    public TicketValidator(Duration maxFuture) {
        this.maxFutureMillis = maxFuture.toMillis();
    }

    /** A rejection: machine-readable reason and a message a person can act on. */
    public record Problem(String reason, String detail) {}

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
        long t = e.getEventTime().toEpochMilli();
        if (t < EARLIEST.toEpochMilli()) {
            return new Problem("INVALID_TIME", "eventTime " + e.getEventTime() + " is before 2000");
        }
        if (t > nowMillis + maxFutureMillis) {
            return new Problem(
                    "INVALID_TIME",
                    "eventTime "
                            + e.getEventTime()
                            + " is more than "
                            + Duration.ofMillis(maxFutureMillis)
                            + " in the future");
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
