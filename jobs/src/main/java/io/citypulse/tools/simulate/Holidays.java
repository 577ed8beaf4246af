package io.citypulse.tools.simulate;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Local days on which arrivals (tickets and lead posts) run at a different rate, e.g. public
 * holidays, when a 12345 hotline is quieter.
 *
 * <p>The factor multiplies the day's usual rate (its hourly and weekday shape stays), so the
 * configured rates remain the averages of ordinary weeks and a holiday is visible as a dip.
 */
final class Holidays {

    /** No holidays: every day follows the weekly rhythm. */
    static final Holidays NONE = new Holidays(new long[0], 1.0, "none");

    /** How much quieter a holiday is than the same weekday, unless configured. */
    static final double DEFAULT_FACTOR = 0.7;

    /**
     * The days off of the People's Republic of China's statutory holidays 2025-2027 (New Year,
     * Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day). 2025 and 2026
     * follow the State Council's notices; 2027 has not been published yet and uses the festival
     * days themselves. Make-up working days (调休) are not modelled.
     */
    static final String CHINA =
            "2025-01-01,2025-01-28..2025-02-04,2025-04-04..2025-04-06,2025-05-01..2025-05-05,"
                    + "2025-05-31..2025-06-02,2025-10-01..2025-10-08,"
                    + "2026-01-01..2026-01-03,2026-02-15..2026-02-23,2026-04-04..2026-04-06,"
                    + "2026-05-01..2026-05-05,2026-06-19..2026-06-21,2026-09-25..2026-09-27,"
                    + "2026-10-01..2026-10-07,"
                    + "2027-01-01,2027-02-05..2027-02-11,2027-04-05,2027-05-01..2027-05-05,"
                    + "2027-06-09,2027-09-15,2027-10-01..2027-10-07";

    private final long[] epochDays; // sorted local days (LocalDate.toEpochDay)
    private final double factor;
    private final String description;

    private Holidays(long[] epochDays, double factor, String description) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("holiday factor must be a finite number >= 0");
        }
        this.epochDays = epochDays;
        this.factor = factor;
        this.description = description;
    }

    /**
     * Parses {@code --holidays}: {@code none}, {@code cn} (see {@link #CHINA}), or a
     * comma-separated list of local dates and inclusive ranges, e.g. {@code
     * 2026-10-01..2026-10-07,2026-12-25}.
     */
    static Holidays parse(String spec, double factor) {
        String text = spec.strip();
        if (text.equalsIgnoreCase("none") || text.isEmpty()) {
            return NONE;
        }
        boolean china = text.equalsIgnoreCase("cn");
        TreeSet<Long> days = new TreeSet<>();
        for (String part : (china ? CHINA : text).split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            int range = item.indexOf("..");
            LocalDate from = date(range < 0 ? item : item.substring(0, range));
            LocalDate to = range < 0 ? from : date(item.substring(range + 2));
            if (to.isBefore(from)) {
                throw new IllegalArgumentException(
                        "holiday range " + item + " ends before it starts");
            }
            if (to.toEpochDay() - from.toEpochDay() > 366) {
                throw new IllegalArgumentException(
                        "holiday range " + item + " is longer than a year");
            }
            for (long d = from.toEpochDay(); d <= to.toEpochDay(); d++) {
                days.add(d);
            }
        }
        long[] sorted = days.stream().mapToLong(Long::longValue).toArray();
        return new Holidays(sorted, factor, china ? "cn" : text);
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text.strip() + "' is not a date like 2026-10-01", e);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Rate factor of a local day ({@link LocalDate#toEpochDay()}): the holiday factor or 1. */
    double factor(long localEpochDay) {
        return epochDays.length > 0 && Arrays.binarySearch(epochDays, localEpochDay) >= 0
                ? factor
                : 1.0;
    }

    /** An upper bound of {@link #factor} over all days. */
    double maxFactor() {
        return epochDays.length == 0 ? 1.0 : Math.max(1.0, factor);
    }

    boolean isEmpty() {
        return epochDays.length == 0;
    }

    /** The holiday dates, in order. */
    List<LocalDate> dates() {
        List<LocalDate> dates = new ArrayList<>(epochDays.length);
        for (long day : epochDays) {
            dates.add(LocalDate.ofEpochDay(day));
        }
        return dates;
    }

    double holidayFactor() {
        return factor;
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : description + " (x" + factor + ")";
    }
}
