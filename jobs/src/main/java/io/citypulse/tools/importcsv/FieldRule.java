package io.citypulse.tools.importcsv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one output field gets its value: from a CSV column, from another output field ({@code
 * sameAs}), or as a constant the export lacks; optionally through a value map.
 *
 * <p>For a cell value {@code v} (trimmed), in this order:
 *
 * <ol>
 *   <li>the map entry whose key is exactly {@code v} (the key {@code ""} matches an empty cell);
 *   <li>else the first map entry whose key is a pattern with {@code *} that matches {@code v}, in
 *       file order (e.g. {@code "SW-*"});
 *   <li>else, if {@code v} is empty: {@code default} (none: the field has no value);
 *   <li>else, if there is no map or {@code keepUnmapped} is set: {@code v} itself, passed through
 *       {@code transform} and {@code template};
 *   <li>else {@code default}; without a default the value is <em>unmapped</em> and the row is
 *       rejected, so a new value in the export is noticed rather than silently lumped in.
 * </ol>
 *
 * Map values and defaults are used as written, never transformed: what you write is what you get.
 */
final class FieldRule {

    /** Normalisations of kept values, so codes look alike across exports. */
    enum Transform {
        /** Unchanged. */
        NONE,
        /** {@code Solid Waste} to {@code SOLID WASTE}. */
        UPPER,
        /** {@code Solid Waste} to {@code solid waste}. */
        LOWER,
        /** Code style: {@code SW-Dirty Alley} to {@code SW-DIRTY-ALLEY}. */
        SLUG,
        /** Constant style: {@code Recreation & Parks} to {@code RECREATION_PARKS}. */
        SNAKE;

        String apply(String value) {
            return switch (this) {
                case NONE -> value;
                case UPPER -> value.toUpperCase(Locale.ROOT);
                case LOWER -> value.toLowerCase(Locale.ROOT);
                case SLUG -> squeeze(value, '-');
                case SNAKE -> squeeze(value, '_');
            };
        }

        /** Upper case; apostrophes dropped; every other run of non-letters/digits one separator. */
        private static String squeeze(String value, char separator) {
            StringBuilder out = new StringBuilder(value.length());
            boolean pending = false;
            for (int i = 0; i < value.length(); ) {
                int cp = value.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == '\'' || cp == '\u2019') {
                    continue;
                }
                if (Character.isLetterOrDigit(cp)) {
                    if (pending && !out.isEmpty()) {
                        out.append(separator);
                    }
                    pending = false;
                    out.appendCodePoint(Character.toUpperCase(cp));
                } else {
                    pending = true;
                }
            }
            return out.toString();
        }

        static Transform of(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'" + name + "' is not a transform: use none, upper, lower, slug or snake");
            }
        }
    }

    /**
     * The outcome for one row.
     *
     * @param value the value, or null when the field has none
     * @param unmapped true when a non-empty cell matched no map entry and there is no default
     */
    record Result(String value, boolean unmapped) {
        static final Result NONE = new Result(null, false);
        static final Result UNMAPPED = new Result(null, true);
    }

    private final String column;
    private final String constant;
    private final String sameAs;
    private final Map<String, String> exact;
    private final List<Map.Entry<Pattern, String>> patterns;
    private final String defaultValue;
    private final boolean keepUnmapped;
    private final Transform transform;
    private final String template;

    /**
     * Exactly one of {@code column}, {@code constant}, {@code sameAs} is non-null. {@code map} keys
     * containing {@code *} are patterns; {@code template} contains {@code {}} or is null.
     */
    FieldRule(
            String column,
            String constant,
            String sameAs,
            Map<String, String> map,
            String defaultValue,
            boolean keepUnmapped,
            Transform transform,
            String template) {
        this.column = column;
        this.constant = constant;
        this.sameAs = sameAs;
        Map<String, String> exactEntries = new LinkedHashMap<>();
        Map<Pattern, String> patternEntries = new LinkedHashMap<>();
        map.forEach(
                (key, value) -> {
                    if (key.contains("*")) {
                        patternEntries.put(glob(key), value);
                    } else {
                        exactEntries.put(key.strip(), value);
                    }
                });
        this.exact = Map.copyOf(exactEntries);
        this.patterns = List.copyOf(patternEntries.entrySet());
        this.defaultValue = defaultValue;
        this.keepUnmapped = keepUnmapped;
        this.transform = transform;
        this.template = template;
    }

    static FieldRule column(String column) {
        return new FieldRule(column, null, null, Map.of(), null, false, Transform.NONE, null);
    }

    static FieldRule constant(String value) {
        return new FieldRule(null, value, null, Map.of(), null, false, Transform.NONE, null);
    }

    /** The CSV column this rule reads, or null. */
    String column() {
        return column;
    }

    /** The output field whose value this rule reads instead of a column, or null. */
    String sameAs() {
        return sameAs;
    }

    /**
     * The value for a row.
     *
     * @param input the cell of {@link #column()} or the value of {@link #sameAs()} (null is taken
     *     as empty); ignored for a constant
     */
    Result apply(String input) {
        if (constant != null) {
            return new Result(constant, false);
        }
        String v = input == null ? "" : input.strip();
        String mapped = exact.get(v);
        if (mapped != null) {
            return new Result(mapped, false);
        }
        if (!v.isEmpty()) {
            for (Map.Entry<Pattern, String> entry : patterns) {
                if (entry.getKey().matcher(v).matches()) {
                    return new Result(entry.getValue(), false);
                }
            }
        }
        if (v.isEmpty()) {
            return defaultValue == null ? Result.NONE : new Result(defaultValue, false);
        }
        if ((exact.isEmpty() && patterns.isEmpty()) || keepUnmapped) {
            String kept = transform.apply(v);
            return new Result(template == null ? kept : template.replace("{}", kept), false);
        }
        return defaultValue == null ? Result.UNMAPPED : new Result(defaultValue, false);
    }

    /** Every value this rule can produce without reading the CSV: for checking the mapping. */
    List<String> literalValues() {
        List<String> values = new ArrayList<>(exact.values());
        patterns.forEach(entry -> values.add(entry.getValue()));
        if (defaultValue != null) {
            values.add(defaultValue);
        }
        if (constant != null) {
            values.add(constant);
        }
        return values;
    }

    /** A map key with {@code *} wildcards as a regular expression matching the whole value. */
    private static Pattern glob(String key) {
        StringBuilder regex = new StringBuilder();
        for (String part : key.strip().split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
