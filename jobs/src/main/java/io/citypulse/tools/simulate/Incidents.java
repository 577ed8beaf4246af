package io.citypulse.tools.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Incidents from a file ({@code --incidents FILE}) or drawn at random ({@code --random-incidents
 * N}).
 *
 * <h2>File format (YAML, or the same structure as JSON)</h2>
 *
 * <pre>{@code
 * incidents:                      # or a top-level list
 *   - id: burst-baoan             # optional; default I1, I2, ... by position
 *     category: WATER-PIPE-BURST  # a major (WATER) or one item of it (WATER-PIPE-BURST)
 *     district: Baoan             # optional; default: the whole city
 *     start: 2026-11-02T08:00     # local date-time in --zone, or with an offset (...+08:00, ...Z)
 *     duration: 3h                # or end: 2026-11-02T11:00
 *     multiplier: 6               # the scope's rate during the surge / its usual rate (>= 1)
 *     leads:                      # optional: posts surge too, and earlier (lead-driven)
 *       before: 2h                #   the lead surge starts this long before start (or start: T)
 *       multiplier: 10            #   the scope's lead rate / its usual lead rate
 * }</pre>
 *
 * Unknown keys are errors, so a misspelt key never silently changes nothing.
 */
final class Incidents {

    static final long RANDOM_STREAM = 0x1C1DE47L;

    private static final Set<String> KEYS =
            Set.of("id", "category", "district", "start", "end", "duration", "multiplier", "leads");
    private static final Set<String> LEAD_KEYS = Set.of("before", "start", "multiplier");

    /** Random incidents are made large enough to matter: at least this many extra tickets. */
    static final double MIN_RANDOM_EXTRA_TICKETS = 20;

    private Incidents() {}

    /**
     * Reads an incidents file (JSON if it starts with '{' or '[', else YAML) and checks every
     * incident against the catalogue and the city.
     *
     * @throws IllegalArgumentException with the file, the incident and what is wrong
     */
    static List<Incident> read(Path file, ZoneId zone, Catalogue catalogue, CityModel city)
            throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        ObjectMapper mapper =
                trimmed.startsWith("{") || trimmed.startsWith("[")
                        ? new ObjectMapper()
                        : new YAMLMapper();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
        }
        try {
            return parse(root, zone, catalogue, city);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static List<Incident> parse(JsonNode root, ZoneId zone, Catalogue catalogue, CityModel city) {
        JsonNode list = root;
        if (root != null && root.isObject()) {
            Iterator<String> names = root.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("incidents")) {
                    throw new IllegalArgumentException(
                            "unknown top-level key '" + name + "' (expected 'incidents')");
                }
            }
            list = root.get("incidents");
        }
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("'incidents' must be a list");
        }
        List<Incident> incidents = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "incident " + (i + 1);
            try {
                Incident incident = incident(list.get(i), i + 1, zone, catalogue);
                validate(incident, catalogue, city);
                if (incidents.stream().anyMatch(o -> o.id().equals(incident.id()))) {
                    throw new IllegalArgumentException("duplicate id " + incident.id());
                }
                incidents.add(incident);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return incidents;
    }

    private static Incident incident(
            JsonNode node, int position, ZoneId zone, Catalogue catalogue) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("must be a mapping (category, start, ...)");
        }
        requireKnownKeys(node, KEYS);
        String id = optionalText(node, "id");
        String category = requiredText(node, "category");
        String major;
        String code = null;
        if (catalogue.find(category).isPresent()) {
            code = category;
            major = catalogue.item(category).major();
        } else if (catalogue.majors().contains(category)) {
            major = category;
        } else {
            throw new IllegalArgumentException(
                    "category '" + category + "' is neither a major nor an item of the catalogue");
        }
        long start = instant(requiredText(node, "start"), zone, "start");
        long end;
        if (node.has("end") == node.has("duration")) {
            throw new IllegalArgumentException("give exactly one of 'end' and 'duration'");
        }
        if (node.has("end")) {
            end = instant(requiredText(node, "end"), zone, "end");
        } else {
            end = start + duration(requiredText(node, "duration"), "duration").toMillis();
        }
        double multiplier = number(node, "multiplier");
        Long leadStart = null;
        double leadMultiplier = 1;
        JsonNode leads = node.get("leads");
        if (leads != null && !leads.isNull()) {
            if (!leads.isObject()) {
                throw new IllegalArgumentException(
                        "'leads' must be a mapping (before, multiplier)");
            }
            requireKnownKeys(leads, LEAD_KEYS);
            if (leads.has("before") == leads.has("start")) {
                throw new IllegalArgumentException(
                        "leads: give exactly one of 'before' and 'start'");
            }
            leadStart =
                    leads.has("start")
                            ? instant(requiredText(leads, "start"), zone, "leads.start")
                            : start
                                    - duration(requiredText(leads, "before"), "leads.before")
                                            .toMillis();
            leadMultiplier = number(leads, "multiplier");
        }
        return new Incident(
                id == null ? "I" + position : id,
                major,
                code,
                optionalText(node, "district"),
                start,
                end,
                multiplier,
                leadStart,
                leadMultiplier);
    }

    /** Checks that the incident's category and district exist in this catalogue and city. */
    static void validate(Incident incident, Catalogue catalogue, CityModel city) {
        if (!catalogue.majors().contains(incident.categoryMajor())) {
            throw new IllegalArgumentException(
                    "incident " + incident.id() + ": unknown major " + incident.categoryMajor());
        }
        if (incident.categoryCode() != null && catalogue.find(incident.categoryCode()).isEmpty()) {
            throw new IllegalArgumentException(
                    "incident " + incident.id() + ": unknown item " + incident.categoryCode());
        }
        if (!city.ticketMajorWeights().containsKey(incident.categoryMajor())) {
            throw new IllegalArgumentException(
                    "incident "
                            + incident.id()
                            + ": the city has no tickets of "
                            + incident.categoryMajor());
        }
        if (incident.district() != null
                && city.districts().stream().noneMatch(d -> d.name().equals(incident.district()))) {
            throw new IllegalArgumentException(
                    "incident "
                            + incident.id()
                            + ": unknown district '"
                            + incident.district()
                            + "' (one of "
                            + String.join(
                                    ", ", city.districts().stream().map(District::name).toList())
                            + ")");
        }
    }

    /**
     * Draws {@code count} incidents inside [startMs, endMs), deterministically from the seed: a
     * major by its share of tickets, half of them in one district, 40% on one item; short surges (1
     * to 8 hours, x3 to x8) and, in runs of six days or more, some sustained ones (2 to 7 days,
     * x1.5 to x2.5); 40% lead-driven (posts surge x5 to x15 from 30 min to 3 h earlier). A
     * multiplier is raised where needed so that each incident adds at least {@value
     * #MIN_RANDOM_EXTRA_TICKETS} tickets in expectation.
     *
     * @param baseline expected ordinary tickets in an incident's scope and window
     */
    static List<Incident> random(
            long seed,
            int count,
            long startMs,
            long endMs,
            CityModel city,
            Catalogue catalogue,
            Baseline baseline) {
        List<Incident> incidents = new ArrayList<>();
        long window = endMs - startMs;
        WeightedChoice<String> majors = WeightedChoice.of(city.ticketMajorWeights());
        CategoryMix items = new CategoryMix(catalogue, city.ticketMajorWeights());
        Places places = new Places(city);
        for (int i = 1; i <= count; i++) {
            Rng rng = Rng.derive(seed, RANDOM_STREAM, i);
            boolean sustained = window >= Duration.ofDays(6).toMillis() && rng.chance(0.15);
            double durationMs =
                    sustained
                            ? rng.uniform(2, Math.min(7, window / 86_400_000.0 / 2)) * 86_400_000.0
                            : StrictMath.exp(rng.uniform(0, StrictMath.log(8))) * 3_600_000.0;
            long duration =
                    Math.max(
                            60_000L, Math.min(window, Math.round(durationMs / 60_000.0) * 60_000L));
            long start =
                    startMs
                            + Math.round(rng.nextDouble() * (window - duration) / 60_000.0)
                                    * 60_000L;
            String major = majors.pick(rng);
            String district = rng.chance(0.5) ? places.district(rng).name() : null;
            CatalogueItem item = rng.chance(0.4) ? items.pickWithin(major, rng) : null;
            double multiplier = sustained ? rng.uniform(1.5, 2.5) : rng.uniform(3, 8);
            boolean leadDriven = rng.chance(0.4);
            long before = Math.round(rng.uniform(30, 180)) * 60_000L;
            double leadMultiplier = rng.uniform(5, 15);
            Incident draft =
                    new Incident(
                            "I" + i,
                            major,
                            item == null ? null : item.code(),
                            district,
                            start,
                            start + duration,
                            2,
                            null,
                            1);
            double usual = baseline.expectedTickets(draft, item, start, start + duration);
            if (usual > 0 && (multiplier - 1) * usual < MIN_RANDOM_EXTRA_TICKETS) {
                multiplier =
                        Math.min(Incident.MAX_MULTIPLIER, 1 + MIN_RANDOM_EXTRA_TICKETS / usual);
            }
            multiplier = Math.round(multiplier * 100) / 100.0;
            incidents.add(
                    new Incident(
                            "I" + i,
                            major,
                            draft.categoryCode(),
                            district,
                            start,
                            start + duration,
                            multiplier,
                            leadDriven ? start - before : null,
                            Math.round(leadMultiplier * 100) / 100.0));
        }
        return incidents;
    }

    /** Expected ordinary tickets of an incident's scope in a window (see TicketGenerator). */
    interface Baseline {
        double expectedTickets(Incident incident, CatalogueItem item, long fromMs, long toMs);
    }

    private static void requireKnownKeys(JsonNode node, Set<String> keys) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown key '"
                                + name
                                + "' (known: "
                                + String.join(", ", keys.stream().sorted().toList())
                                + ")");
            }
        }
    }

    private static String requiredText(JsonNode node, String key) {
        String value = optionalText(node, key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must be a non-empty value");
        }
        return value.asText().strip();
    }

    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        try {
            return Double.parseDouble(value.asText().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + key + "' must be a number, not '" + value.asText() + "'");
        }
    }

    private static Duration duration(String text, String key) {
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
        }
    }

    /** A local date-time in the zone, or an instant with offset. */
    static long instant(String text, ZoneId zone, String key) {
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException notLocal) {
            // try with an offset
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(
                        "'"
                                + key
                                + "': cannot read '"
                                + text
                                + "' as a local date-time (2026-11-02T08:00) or one with an offset"
                                + " (2026-11-02T08:00+08:00)");
            }
        }
    }
}
