package io.citypulse.tools.importcsv;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the time strings of an export into epoch milliseconds, reading them as local times of the
 * export's zone.
 *
 * <p>City exports write local wall-clock times without an offset, so the zone decides the instant,
 * and twice a year the wall clock is ambiguous. The rule is the one {@link ZonedDateTime#ofLocal}
 * applies: a time that does not exist (in the spring-forward gap) is moved forward by the length of
 * the gap, a time that exists twice (in the fall-back overlap) takes the earlier offset. Both are
 * reported in {@link Parsed#dst()} so the import summary can say how often that happened. A time
 * whose text carries its own offset or zone keeps it.
 *
 * <p>Patterns are parsed strictly (no February 30th) and case-insensitively ({@code am}/{@code
 * AM}); a pattern may leave out the time of day (midnight is assumed). Besides patterns, three
 * named formats exist: {@code iso} (ISO-8601 date-time, with or without offset or zone), {@code
 * epoch-millis} and {@code epoch-seconds}. Several formats are tried in order, for exports that mix
 * them.
 */
final class TimeParser {

    /** What daylight saving time did to a parsed local time. */
    enum Dst {
        /** Unambiguous, or the text carried its own offset. */
        NONE,
        /** In the spring-forward gap: moved forward by the gap. */
        GAP,
        /** In the fall-back overlap: the earlier offset was taken. */
        OVERLAP
    }

    /** A parsed time. */
    record Parsed(long epochMs, Dst dst) {}

    static final String ISO = "iso";
    static final String EPOCH_MILLIS = "epoch-millis";
    static final String EPOCH_SECONDS = "epoch-seconds";

    private final List<String> names;
    private final List<Format> formats;
    private final ZoneId zone;

    private TimeParser(List<String> names, List<Format> formats, ZoneId zone) {
        this.names = List.copyOf(names);
        this.formats = List.copyOf(formats);
        this.zone = zone;
    }

    /**
     * @param patterns {@link DateTimeFormatter} patterns or the named formats, tried in order
     * @throws IllegalArgumentException naming the first pattern that is not valid
     */
    static TimeParser of(List<String> patterns, ZoneId zone, Locale locale) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no time format given");
        }
        List<Format> formats = new ArrayList<>();
        for (String pattern : patterns) {
            formats.add(format(pattern, locale));
        }
        return new TimeParser(patterns, formats, zone);
    }

    ZoneId zone() {
        return zone;
    }

    /**
     * Parses one cell.
     *
     * @throws DateTimeException saying which formats were tried
     */
    Parsed parse(String text) {
        for (Format format : formats) {
            try {
                return format.parse(text, zone);
            } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
                // try the next format
            }
        }
        throw new DateTimeException(
                "'"
                        + text
                        + "' does not match "
                        + (names.size() == 1 ? "the time format " : "any of the time formats ")
                        + String.join(" | ", names));
    }

    private static Format format(String pattern, Locale locale) {
        switch (pattern) {
            case ISO:
                return TimeParser::parseIso;
            case EPOCH_MILLIS:
                return (text, zone) -> epoch(new BigDecimal(text.strip()));
            case EPOCH_SECONDS:
                return (text, zone) -> epoch(new BigDecimal(text.strip()).movePointRight(3));
            default:
                DateTimeFormatter formatter;
                try {
                    formatter =
                            new DateTimeFormatterBuilder()
                                    .parseCaseInsensitive()
                                    .appendPattern(pattern)
                                    // 'yyyy' is year-of-era: strict resolution needs an era.
                                    .parseDefaulting(ChronoField.ERA, 1)
                                    .toFormatter(locale)
                                    .withResolverStyle(ResolverStyle.STRICT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "invalid time format '" + pattern + "': " + e.getMessage(), e);
                }
                return (text, zone) -> resolve(formatter.parse(text.strip()), zone);
        }
    }

    private static Parsed parseIso(String text, ZoneId zone) {
        return resolve(DateTimeFormatter.ISO_DATE_TIME.parse(text.strip()), zone);
    }

    private static Parsed epoch(BigDecimal millis) {
        return new Parsed(millis.setScale(0, RoundingMode.FLOOR).longValueExact(), Dst.NONE);
    }

    private static Parsed resolve(TemporalAccessor parsed, ZoneId zone) {
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            throw new DateTimeException("no date");
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        LocalDateTime local = date.atTime(time == null ? LocalTime.MIDNIGHT : time);
        ZoneId own = parsed.query(TemporalQueries.zone());
        if (own != null) {
            return new Parsed(ZonedDateTime.of(local, own).toInstant().toEpochMilli(), Dst.NONE);
        }
        int offsets = zone.getRules().getValidOffsets(local).size();
        Dst dst = offsets == 0 ? Dst.GAP : offsets == 2 ? Dst.OVERLAP : Dst.NONE;
        Instant instant = ZonedDateTime.ofLocal(local, zone, null).toInstant();
        return new Parsed(instant.toEpochMilli(), dst);
    }

    @FunctionalInterface
    private interface Format {
        Parsed parse(String text, ZoneId zone);
    }
}
