package io.citypulse.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named panels of the API: each is one SQL file of {@code sql/dashboard/}, named after it
 * (without {@code .sql}). The files are read once at start, from the copy built into the jar or
 * from a directory ({@code --sql-dir}). A file's {@code {name:Type}} placeholders are ClickHouse
 * query parameters; they are bound from {@link RequestParameters#values()} only, so no SQL and no
 * raw value from the browser ever reaches ClickHouse.
 */
public final class Panels {

    /** Every panel the server offers; the page uses most of them. One file each. */
    public static final List<String> NAMES =
            List.of(
                    "alerts_open",
                    "busiest_agencies_today",
                    "case_category_candidates_week",
                    "category_trend_7d",
                    "category_trend_top_7d",
                    "district_hourly_day",
                    "first_dispatch_success_7d",
                    "hotspot_list",
                    "hotspots_as_of",
                    "lead_funnel_day",
                    "leads_by_platform_today",
                    "sla_breaches_by_agency_day",
                    "sla_breaches_by_agency_today",
                    "sla_breaches_open",
                    "sla_first_dispatch_success",
                    "sla_open_by_agency",
                    "today_vs_yesterday",
                    "top_categories_this_hour",
                    "volume_by_district_today");

    static final String RESOURCE_DIR = "/io/citypulse/dashboard/sql/";
    static final Pattern PLACEHOLDER =
            Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z0-9_(), ']+)\\}");
    static final Set<String> DERIVED =
            Set.of("day", "until_minute", "week_start", "hour", "scope", "district", "category");

    /**
     * One panel: its SQL with each placeholder replaced by {@code CAST(? AS Type)}, and the
     * parameter names in the order of the {@code ?}.
     */
    public record Panel(String name, String description, String jdbcSql, List<String> parameters) {

        /** The distinct parameter names, for the panel list. */
        public Set<String> parameterNames() {
            return new LinkedHashSet<>(parameters);
        }
    }

    private final Map<String, Panel> panels;

    private Panels(Map<String, Panel> panels) {
        this.panels = Collections.unmodifiableMap(panels);
    }

    /** Loads every panel, from {@code sqlDir} when given, else from the jar. */
    public static Panels load(Path sqlDir) throws IOException {
        Map<String, Panel> panels = new LinkedHashMap<>();
        for (String name : NAMES) {
            String sql;
            if (sqlDir != null) {
                sql = Files.readString(sqlDir.resolve(name + ".sql"), StandardCharsets.UTF_8);
            } else {
                try (InputStream in =
                        Panels.class.getResourceAsStream(RESOURCE_DIR + name + ".sql")) {
                    if (in == null) {
                        throw new IOException("panel SQL " + name + ".sql is not in the jar");
                    }
                    sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            panels.put(name, compile(name, sql));
        }
        return new Panels(panels);
    }

    public Panel get(String name) {
        return panels.get(name);
    }

    public Iterable<Panel> all() {
        return panels.values();
    }

    /**
     * Turns a panel file into JDBC SQL: comments dropped (they mention placeholders too), each
     * {@code {name:Type}} outside string literals replaced by {@code CAST(? AS Type)}, which keeps
     * the typed semantics of a ClickHouse query parameter.
     */
    static Panel compile(String name, String sql) {
        StringBuilder out = new StringBuilder();
        StringBuilder description = new StringBuilder();
        List<String> parameters = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                while (end < n) {
                    char d = sql.charAt(end);
                    if (d == '\\') {
                        end += 2;
                        continue;
                    }
                    if (d == '\'') {
                        if (end + 1 < n && sql.charAt(end + 1) == '\'') {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, n);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                if (out.toString().isBlank()) {
                    description.append(sql.substring(i + 2, end).strip()).append(' ');
                }
                i = end;
            } else if (c == '{') {
                Matcher m = PLACEHOLDER.matcher(sql);
                if (!m.find(i) || m.start() != i) {
                    throw new IllegalArgumentException(
                            "panel " + name + ": a '{' that is not a {name:Type} placeholder");
                }
                String param = m.group(1);
                if (!DERIVED.contains(param)) {
                    throw new IllegalArgumentException(
                            "panel "
                                    + name
                                    + ": unknown parameter {"
                                    + param
                                    + "}; the server provides "
                                    + DERIVED);
                }
                parameters.add(param);
                out.append("CAST(? AS ").append(m.group(2)).append(')');
                i = m.end();
            } else {
                out.append(c);
                i++;
            }
        }
        String text = description.toString().strip();
        text = text.replaceFirst("^Panel( \\(big screen[^)]*\\))?:\\s*", "");
        return new Panel(name, text, out.toString().strip(), List.copyOf(parameters));
    }
}
