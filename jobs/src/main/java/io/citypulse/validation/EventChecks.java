package io.citypulse.validation;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Checks shared by every record type: believable event time and known catalogue codes. An event
 * time before 2000 or further ahead than clock skew explains would drag the watermark and make
 * every later event late, so it is rejected before watermarks are assigned.
 */
public final class EventChecks implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Earliest believable event time. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private final long maxFutureMillis;

    /** Known catalogue item codes, or null to accept any code. */
    private final Set<String> knownCodes;

    public EventChecks(Duration maxFuture, Set<String> knownCodes) {
        this.maxFutureMillis = maxFuture.toMillis();
        this.knownCodes = knownCodes == null ? null : Set.copyOf(knownCodes);
    }

    public Problem time(Instant eventTime, long nowMillis) {
        long t = eventTime.toEpochMilli();
        if (t < EARLIEST.toEpochMilli()) {
            return new Problem("INVALID_TIME", "eventTime " + eventTime + " is before 2000");
        }
        if (t > nowMillis + maxFutureMillis) {
            return new Problem(
                    "INVALID_TIME",
                    "eventTime "
                            + eventTime
                            + " is more than "
                            + Duration.ofMillis(maxFutureMillis)
                            + " in the future");
        }
        return null;
    }

    public Problem code(String categoryCode) {
        if (knownCodes != null && !knownCodes.contains(categoryCode)) {
            return new Problem(
                    "UNKNOWN_CODE", "categoryCode " + categoryCode + " is not in the catalogue");
        }
        return null;
    }

    public static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
