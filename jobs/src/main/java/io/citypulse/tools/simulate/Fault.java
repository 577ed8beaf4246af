package io.citypulse.tools.simulate;

import java.util.Locale;

/**
 * What went wrong with a delivered record (see {@link FaultInjector}); the JSON-lines value of
 * {@code "fault"} is the lower-case name.
 */
public enum Fault {
    /** Delivered normally (possibly displaced within the disorder span, which is not marked). */
    NONE,
    /** A second delivery of an event already delivered, with the same eventId. */
    DUPLICATE,
    /** Held back and delivered {@code --late-by} (x 1 to 1.5) after its event time. */
    LATE,
    /** Bytes that do not decode as a record (an extra record; no event is lost for it). */
    MALFORMED;

    /** The JSON-lines name: {@code duplicate}, {@code late}, {@code malformed}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The fault with this JSON-lines name; NONE for null. */
    public static Fault fromJsonName(String name) {
        if (name == null) {
            return NONE;
        }
        for (Fault f : values()) {
            if (f != NONE && f.jsonName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'");
    }
}
