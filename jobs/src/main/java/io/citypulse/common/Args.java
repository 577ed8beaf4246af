package io.citypulse.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command-line options of a job: {@code --name value}, {@code --name=value}, boolean {@code
 * --flag}, and Flink settings as {@code -Dkey=value}. Every option a job reads is recorded, so
 * {@link #rejectUnknown()} can refuse a misspelt option instead of silently ignoring it.
 */
public final class Args {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)");

    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> flinkSettings = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    private final Map<String, String> env;

    private Args(Map<String, String> env) {
        this.env = env;
    }

    /** Parses {@code argv}; the environment supplies fallbacks named by the job. */
    public static Args parse(String[] argv, Map<String, String> env) {
        Args args = new Args(new HashMap<>(env));
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("-D") && a.contains("=")) {
                int eq = a.indexOf('=');
                args.flinkSettings.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (a.startsWith("--")) {
                String name = a.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    args.options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    args.options.put(name, argv[++i]);
                } else {
                    args.flags.add(name);
                }
            } else {
                throw new IllegalArgumentException(
                        "unexpected argument '" + a + "' (options look like --name value)");
            }
        }
        return args;
    }

    public boolean flag(String name) {
        read.add(name);
        if (options.containsKey(name)) {
            String v = options.get(name);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(
                        "--" + name + " takes no value, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
        return flags.contains(name);
    }

    /** The option's value, else the environment variable's (if named), else the default. */
    public String string(String name, String envVar, String defaultValue) {
        read.add(name);
        if (flags.contains(name)) {
            throw new IllegalArgumentException("--" + name + " needs a value");
        }
        String v = options.get(name);
        if (v == null && envVar != null) {
            v = env.get(envVar);
        }
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    public String string(String name, String defaultValue) {
        return string(name, null, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    /** A cache size option: a whole number, 0 for no cache. */
    public int cacheKeys(String name, int defaultValue) {
        int keys = integer(name, defaultValue);
        if (keys < 0) {
            throw new IllegalArgumentException(
                    "--" + name + " must be 0 (no cache) or more: " + keys);
        }
        return keys;
    }

    public double decimal(String name, double defaultValue) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    public Duration duration(String name, Duration defaultValue) {
        String v = string(name, null);
        return v == null ? defaultValue : parseDuration("--" + name, v);
    }

    public static Duration parseDuration(String what, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    what + " must be a duration like 500ms, 30s, 5m, 2h or 1d, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Flink configuration given as {@code -Dkey=value}. */
    public Map<String, String> flinkSettings() {
        return flinkSettings;
    }

    /** Fails on any option no reader asked for: a typo must not fall back to a default. */
    public void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        for (String name : options.keySet()) {
            if (!read.contains(name)) {
                unknown.add("--" + name);
            }
        }
        for (String name : flags) {
            if (!read.contains(name)) {
                unknown.add("--" + name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + String.join(", ", unknown));
        }
    }
}
