package io.citypulse.counts;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * {@link Granularity#start} and {@link Granularity#end} on one zone's local clock, with the bounds
 * of the last local day asked about kept: inside that day a day's bounds are known, and an hour's
 * start needs no look-up of the zone's rules either while the day has no offset change. A counter
 * asks for every event (and for every new window's timers), almost always about the same day; the
 * zone look-ups were a tenth of its time. Not thread-safe: one per operator instance.
 */
final class WindowClock {

    private static final long HOUR_MS = 3_600_000L;

    private final ZoneId zone;
    private final ZoneRules rules;

    /** The last day's bounds; empty before the first question. */
    private long dayStart = 1;

    private long dayEnd = 0;

    /** The zone's offset all through the day, when it does not change there. */
    private boolean fixedOffset;

    private long offset;

    WindowClock(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
    }

    /** As {@link Granularity#start}. */
    long start(Granularity g, long t) {
        if (g == Granularity.FIVE_MINUTES) {
            return g.start(t, zone);
        }
        if (t < dayStart || t >= dayEnd) {
            learnDay(t);
        }
        if (g == Granularity.DAY) {
            return dayStart;
        }
        if (!fixedOffset) {
            return g.start(t, zone);
        }
        long local = t + offset;
        return local - Math.floorMod(local, HOUR_MS) - offset;
    }

    /** As {@link Granularity#end}. */
    long end(Granularity g, long start) {
        if (g != Granularity.DAY) {
            return g.end(start, zone);
        }
        if (start < dayStart || start >= dayEnd) {
            learnDay(start);
        }
        return start == dayStart ? dayEnd : g.end(start, zone);
    }

    private void learnDay(long t) {
        dayStart = Granularity.DAY.start(t, zone);
        dayEnd = Granularity.DAY.end(dayStart, zone);
        Instant start = Instant.ofEpochMilli(dayStart);
        ZoneOffsetTransition next = rules.nextTransition(start);
        fixedOffset = next == null || next.toEpochSecond() * 1000L >= dayEnd;
        offset = rules.getOffset(start).getTotalSeconds() * 1000L;
    }
}
