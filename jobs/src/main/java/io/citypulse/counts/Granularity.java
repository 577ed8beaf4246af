package io.citypulse.counts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The window sizes of the count tables. Hours and days align to the local clock of the configured
 * zone: a day is local midnight to local midnight (23 or 25 hours on daylight-saving changes), an
 * hour starts at a local full hour (zones with half-hour offsets included).
 */
public enum Granularity {
    FIVE_MINUTES("5m"),
    HOUR("1h"),
    DAY("1d");

    private static final long FIVE_MINUTES_MS = 300_000L;
    private static final long HOUR_MS = 3_600_000L;

    private final String suffix;

    Granularity(String suffix) {
        this.suffix = suffix;
    }

    /** Table-name suffix, e.g. {@code 5m} for {@code ticket_counts_5m}. */
    public String suffix() {
        return suffix;
    }

    /** Start (inclusive) of the window holding {@code t}. */
    public long start(long t, ZoneId zone) {
        switch (this) {
            case FIVE_MINUTES:
                return t - Math.floorMod(t, FIVE_MINUTES_MS);
            case HOUR:
                {
                    long offset = offsetMillis(t, zone);
                    long local = t + offset;
                    return local - Math.floorMod(local, HOUR_MS) - offset;
                }
            default:
                {
                    long offset = offsetMillis(t, zone);
                    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(t + offset, 86_400_000L));
                    return day.atStartOfDay(zone).toInstant().toEpochMilli();
                }
        }
    }

    /** End (exclusive) of the window starting at {@code start}. */
    public long end(long start, ZoneId zone) {
        switch (this) {
            case FIVE_MINUTES:
                return start + FIVE_MINUTES_MS;
            case HOUR:
                return start + HOUR_MS;
            default:
                {
                    LocalDate day =
                            Instant.ofEpochMilli(start).atZone(zone).toLocalDate().plusDays(1);
                    return day.atStartOfDay(zone).toInstant().toEpochMilli();
                }
        }
    }

    private static long offsetMillis(long t, ZoneId zone) {
        return zone.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
    }
}
