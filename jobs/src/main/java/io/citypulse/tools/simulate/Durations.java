package io.citypulse.tools.simulate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them on command lines and in incident files: {@code 90s}, {@code 5m},
 * {@code 3h}, {@code 2d}, {@code 1h30m}, {@code 250ms}, or ISO-8601 ({@code PT1H30M}).
 */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * @throws IllegalArgumentException naming the accepted forms
     */
    static Duration parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double millis = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(text);
            }
            double value = Double.parseDouble(m.group(1));
            millis +=
                    value
                            * switch (m.group(2)) {
                                case "ms" -> 1;
                                case "s" -> 1_000;
                                case "m" -> 60_000;
                                case "h" -> 3_600_000;
                                default -> 86_400_000;
                            };
            at = m.end();
        }
        if (millis > 1e15) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "cannot read '"
                        + text
                        + "' as a duration (e.g. 90s, 5m, 3h, 2d, 1h30m, 250ms or PT1H30M)");
    }

    /** Short human form, e.g. {@code 3h}, {@code 1h30m}, {@code 250ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                out.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return out.toString();
    }
}
