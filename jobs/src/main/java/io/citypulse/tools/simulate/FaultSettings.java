package io.citypulse.tools.simulate;

import java.time.Duration;

/**
 * Faults to inject into the delivered stream, for testing what the jobs do with imperfect input.
 *
 * @param disorder events are delivered at their event time plus a uniform delay in [0, this), so
 *     each may be overtaken by events up to this much younger (0: event-time order)
 * @param duplicateShare share of events (not late) delivered a second time, same eventId, within
 *     {@link FaultInjector#DUPLICATE_MAX_DELAY} after the first
 * @param lateShare share of events held back and delivered {@code lateBy} x U(1, 1.5) after their
 *     event time
 * @param lateBy how late a late event is (at least)
 * @param malformedShare per event, the chance that an undecodable record is written to its topic
 *     just before it (an extra record; the event itself is still delivered)
 */
record FaultSettings(
        Duration disorder,
        double duplicateShare,
        double lateShare,
        Duration lateBy,
        double malformedShare) {

    static final Duration DEFAULT_LATE_BY = Duration.ofHours(3);

    static final FaultSettings NONE = new FaultSettings(Duration.ZERO, 0, 0, DEFAULT_LATE_BY, 0);

    FaultSettings {
        if (disorder.isNegative()) {
            throw new IllegalArgumentException("disorder must not be negative");
        }
        if (lateBy.isNegative() || lateBy.isZero()) {
            throw new IllegalArgumentException("late-by must be positive");
        }
        for (double share : new double[] {duplicateShare, lateShare, malformedShare}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "fault shares must be between 0 and 1: " + share);
            }
        }
    }

    /** True when any fault is on: then records go through the {@link FaultInjector}. */
    boolean any() {
        return !disorder.isZero() || duplicateShare > 0 || lateShare > 0 || malformedShare > 0;
    }
}
