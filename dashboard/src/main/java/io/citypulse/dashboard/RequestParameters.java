package io.citypulse.dashboard;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated parameters of an API request, and the SQL parameter values derived from them.
 *
 * <p>The browser may send only {@code day}, {@code district}, {@code category} and {@code lang},
 * each at most once and each matching a strict pattern; anything else is refused with a {@link
 * BadRequestException}. The SQL files then receive only values computed here: {@code day}, {@code
 * until_minute} (the time of day to compare up to: the current minute for today, the whole day for
 * a past day), {@code week_start} (the local Monday), {@code hour} (the start of the current hour,
 * or the last hour of a past day), {@code scope} ('city' or the district) and {@code category}.
 *
 * @param day the local day shown (default: today in the city's zone)
 * @param district a district to focus on, or null for the whole city
 * @param category a major category code, or null
 * @param lang page language, "zh" or "en"
 * @param values SQL parameter name to its value in ClickHouse's text form
 */
public record RequestParameters(
        LocalDate day, String district, String category, String lang, Map<String, String> values) {

    public static final Set<String> ACCEPTED = Set.of("day", "district", "category", "lang");

    static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    // Letters of any script (district names are Chinese or Latin), digits, space, ' . -
    static final Pattern DISTRICT = Pattern.compile("[\\p{L}][\\p{L}\\p{N} '.-]{0,39}");
    // The catalogue's major category codes: ASCII upper case, digits, underscore.
    static final Pattern CATEGORY = Pattern.compile("[A-Z][A-Z0-9_]{1,31}");
    static final Set<String> LANGS = Set.of("zh", "en");

    /**
     * Validates the query parameters of a request.
     *
     * @param query each parameter name with all the values the URL gave it
     * @param now the current time in the city's zone
     */
    public static RequestParameters parse(Map<String, List<String>> query, ZonedDateTime now)
            throws BadRequestException {
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (!ACCEPTED.contains(e.getKey())) {
                throw BadRequestException.badParameter(
                        e.getKey(),
                        "unknown parameter '"
                                + BadRequestException.shown(e.getKey())
                                + "'; accepted: day, district, category, lang");
            }
            if (e.getValue().size() > 1) {
                throw BadRequestException.badParameter(
                        e.getKey(), "parameter '" + e.getKey() + "' given more than once");
            }
        }
        LocalDate today = now.toLocalDate();
        LocalDate day = today;
        String dayText = single(query, "day");
        if (dayText != null) {
            day = parseDay(dayText, today);
        }
        String district = single(query, "district");
        if (district != null && !DISTRICT.matcher(district).matches()) {
            throw BadRequestException.badParameter(
                    "district",
                    "district must be a district name (letters, digits, space, ' . -; at most 40"
                            + " characters), not '"
                            + BadRequestException.shown(district)
                            + "'");
        }
        String category = single(query, "category");
        if (category != null && !CATEGORY.matcher(category).matches()) {
            throw BadRequestException.badParameter(
                    "category",
                    "category must be a major category code such as NOISE or WATER (A-Z, 0-9,"
                            + " _), not '"
                            + BadRequestException.shown(category)
                            + "'");
        }
        String lang = single(query, "lang");
        if (lang == null) {
            lang = "zh";
        } else if (!LANGS.contains(lang)) {
            throw BadRequestException.badParameter(
                    "lang", "lang must be zh or en, not '" + BadRequestException.shown(lang) + "'");
        }

        Map<String, String> values = new HashMap<>();
        values.put("day", day.toString());
        int untilMinute;
        if (day.isBefore(today)) {
            untilMinute = 24 * 60;
        } else if (day.isAfter(today)) {
            untilMinute = 0;
        } else {
            // windows starting in the current minute count: "up to now"
            untilMinute = now.getHour() * 60 + now.getMinute() + 1;
        }
        values.put("until_minute", Integer.toString(untilMinute));
        values.put(
                "week_start",
                day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString());
        LocalDateTime hour =
                day.equals(today)
                        ? now.toLocalDateTime().truncatedTo(ChronoUnit.HOURS)
                        : day.atTime(23, 0);
        values.put("hour", hour.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        values.put("scope", district == null ? "city" : district);
        if (district != null) {
            values.put("district", district);
        }
        if (category != null) {
            values.put("category", category);
        }
        return new RequestParameters(day, district, category, lang, Map.copyOf(values));
    }

    private static LocalDate parseDay(String text, LocalDate today) throws BadRequestException {
        String problem =
                "day must be a date YYYY-MM-DD from "
                        + FIRST_DAY
                        + " to a year from today, not '"
                        + BadRequestException.shown(text)
                        + "'";
        if (!DAY.matcher(text).matches()) {
            throw BadRequestException.badParameter("day", problem);
        }
        LocalDate day;
        try {
            day = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw BadRequestException.badParameter("day", problem);
        }
        if (day.isBefore(FIRST_DAY) || day.isAfter(today.plusYears(1))) {
            throw BadRequestException.badParameter("day", problem);
        }
        return day;
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
