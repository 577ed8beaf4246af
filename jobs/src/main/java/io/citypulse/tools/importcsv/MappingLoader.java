package io.citypulse.tools.importcsv;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mapping file (YAML) and checks everything that can be checked without the CSV: known keys
 * only, required keys present, time format and zone valid, values of typed fields (urgency,
 * outcome, ...) valid. Every error names the key, because a data engineer writing a mapping for a
 * new city fixes it by key. Columns are checked against the CSV header later, by the importer.
 *
 * <p>YAML 1.1 reads unquoted {@code yes}, {@code no}, {@code on}, {@code off} as booleans: where a
 * text is expected such a value is an error asking for quotes, instead of silently becoming {@code
 * "true"}.
 */
final class MappingLoader {

    private static final Set<String> TOP_KEYS =
            Set.of(
                    "kind",
                    "source",
                    "csv",
                    "timeFormat",
                    "timeZone",
                    "timeLocale",
                    "times",
                    "fields",
                    "agencyOnCreated");
    private static final Set<String> CSV_KEYS = Set.of("delimiter", "encoding");
    private static final Set<String> RULE_KEYS =
            Set.of(
                    "column",
                    "constant",
                    "sameAs",
                    "map",
                    "default",
                    "keepUnmapped",
                    "transform",
                    "template");
    private static final String SOURCE_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private final String file;

    private MappingLoader(String file) {
        this.file = file;
    }

    /** Loads and validates a mapping file. */
    static Mapping load(Path path) throws MappingException {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MappingException(name, "", "no such file");
        } catch (IOException e) {
            throw new MappingException(name, "", "cannot read: " + e.getMessage());
        }
        return parse(text, name);
    }

    /** Parses and validates mapping text; {@code file} names it in messages. */
    static Mapping parse(String yaml, String file) throws MappingException {
        return new MappingLoader(file).mapping(yaml);
    }

    private Mapping mapping(String yaml) throws MappingException {
        JsonNode root;
        try {
            YAMLMapper mapper = new YAMLMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new MappingException(
                    file, "", "not valid YAML: " + e.getOriginalMessage() + location(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new MappingException(file, "", "the file is empty");
        }
        requireObject(root, "");
        checkKeys(root, "", TOP_KEYS);

        Kind kind = Kind.TICKETS;
        if (root.hasNonNull("kind")) {
            try {
                kind = Kind.of(text(root.get("kind"), "kind"));
            } catch (IllegalArgumentException e) {
                throw error("kind", e.getMessage());
            }
        }
        String source = text(require(root, "source", ""), "source");
        if (!source.matches(SOURCE_PATTERN)) {
            throw error(
                    "source",
                    "'"
                            + source
                            + "' must be letters, digits, '.', '_' or '-' (it prefixes every"
                            + " eventId)");
        }

        char delimiter = ',';
        Charset encoding = StandardCharsets.UTF_8;
        JsonNode csv = root.get("csv");
        if (csv != null && !csv.isNull()) {
            requireObject(csv, "csv");
            checkKeys(csv, "csv", CSV_KEYS);
            if (csv.hasNonNull("delimiter")) {
                delimiter = delimiter(text(csv.get("delimiter"), "csv.delimiter"));
            }
            if (csv.hasNonNull("encoding")) {
                String name = text(csv.get("encoding"), "csv.encoding");
                try {
                    encoding = Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    throw error("csv.encoding", "unknown encoding '" + name + "'");
                }
            }
        }

        TimeParser time = timeParser(root);
        Map<String, String> times = times(require(root, "times", ""), kind);
        Map<String, FieldRule> fields = fields(require(root, "fields", ""), kind);

        boolean agencyOnCreated = false;
        JsonNode agencyNode = root.get("agencyOnCreated");
        if (agencyNode != null && !agencyNode.isNull()) {
            if (kind != Kind.TICKETS) {
                throw error("agencyOnCreated", "only ticket mappings have an agency");
            }
            if (!agencyNode.isBoolean()) {
                throw error("agencyOnCreated", "must be true or false");
            }
            agencyOnCreated = agencyNode.booleanValue();
        }
        return new Mapping(
                file, kind, source, delimiter, encoding, time, times, fields, agencyOnCreated);
    }

    private TimeParser timeParser(JsonNode root) throws MappingException {
        JsonNode formatNode = require(root, "timeFormat", "");
        List<String> formats = new ArrayList<>();
        if (formatNode.isArray()) {
            for (int i = 0; i < formatNode.size(); i++) {
                formats.add(text(formatNode.get(i), "timeFormat[" + i + "]"));
            }
            if (formats.isEmpty()) {
                throw error("timeFormat", "the list is empty");
            }
        } else {
            formats.add(text(formatNode, "timeFormat"));
        }
        String zoneName = text(require(root, "timeZone", ""), "timeZone");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw error(
                    "timeZone",
                    "unknown time zone '" + zoneName + "' (e.g. America/New_York, Asia/Shanghai)");
        }
        Locale locale = Locale.US;
        if (root.hasNonNull("timeLocale")) {
            String tag = text(root.get("timeLocale"), "timeLocale");
            locale = Locale.forLanguageTag(tag);
            if (locale.getLanguage().isEmpty()) {
                throw error("timeLocale", "'" + tag + "' is not a language tag (e.g. en-US)");
            }
        }
        try {
            return TimeParser.of(formats, zone, locale);
        } catch (IllegalArgumentException e) {
            throw error("timeFormat", e.getMessage());
        }
    }

    private Map<String, String> times(JsonNode node, Kind kind) throws MappingException {
        requireObject(node, "times");
        checkKeys(node, "times", Set.copyOf(kind.times()));
        Map<String, String> times = new LinkedHashMap<>();
        for (String step : kind.times()) {
            JsonNode column = node.get(step);
            if (column != null && !column.isNull()) {
                times.put(step, nonBlank(column, "times." + step));
            }
        }
        String first = kind.times().get(0);
        if (!times.containsKey(first)) {
            throw error(
                    "times." + first,
                    "missing: the column with the time each "
                            + kind.label().substring(0, kind.label().length() - 1)
                            + " was "
                            + first);
        }
        return times;
    }

    private Map<String, FieldRule> fields(JsonNode node, Kind kind) throws MappingException {
        requireObject(node, "fields");
        Set<String> names = new LinkedHashSet<>();
        kind.fields().forEach(f -> names.add(f.name()));
        checkKeys(node, "fields", names);
        Map<String, FieldRule> rules = new LinkedHashMap<>();
        for (FieldSpec spec : kind.fields()) {
            JsonNode ruleNode = node.get(spec.name());
            if (ruleNode == null || ruleNode.isNull()) {
                if (spec.required()) {
                    throw error("fields." + spec.name(), "missing (it is required)");
                }
                continue;
            }
            rules.put(spec.name(), rule(ruleNode, spec, rules.keySet()));
        }
        return rules;
    }

    /** One field rule; {@code earlier} are the fields resolved before it (for sameAs). */
    private FieldRule rule(JsonNode node, FieldSpec spec, Set<String> earlier)
            throws MappingException {
        String key = "fields." + spec.name();
        if (!node.isObject()) {
            return checked(FieldRule.column(nonBlank(node, key)), spec, key);
        }
        checkKeys(node, key, RULE_KEYS);
        String column = optionalText(node, "column", key);
        String constant = optionalText(node, "constant", key, spec);
        String sameAs = optionalText(node, "sameAs", key);
        int sources =
                (column == null ? 0 : 1) + (constant == null ? 0 : 1) + (sameAs == null ? 0 : 1);
        if (sources != 1) {
            throw error(key, "give exactly one of column, constant or sameAs");
        }
        if (column != null && column.isBlank()) {
            throw error(key + ".column", "must not be empty");
        }
        if (sameAs != null && !earlier.contains(sameAs)) {
            throw error(
                    key + ".sameAs",
                    "'"
                            + sameAs
                            + "' is not a field mapped before "
                            + spec.name()
                            + (earlier.isEmpty()
                                    ? ""
                                    : " (mapped before it: " + String.join(", ", earlier) + ")"));
        }
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode mapNode = node.get("map");
        if (mapNode != null && !mapNode.isNull()) {
            requireObject(mapNode, key + ".map");
            Iterator<Map.Entry<String, JsonNode>> entries = mapNode.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String entryKey = key + ".map." + entry.getKey();
                if (entry.getValue() == null || entry.getValue().isNull()) {
                    throw error(entryKey, "has no value");
                }
                map.put(entry.getKey(), scalar(entry.getValue(), entryKey, spec));
            }
        }
        String defaultValue = optionalText(node, "default", key, spec);
        boolean keepUnmapped = false;
        JsonNode keepNode = node.get("keepUnmapped");
        if (keepNode != null && !keepNode.isNull()) {
            if (!keepNode.isBoolean()) {
                throw error(key + ".keepUnmapped", "must be true or false");
            }
            keepUnmapped = keepNode.booleanValue();
            if (keepUnmapped && map.isEmpty()) {
                throw error(key + ".keepUnmapped", "only means something with a map");
            }
        }
        FieldRule.Transform transform = FieldRule.Transform.NONE;
        String transformName = optionalText(node, "transform", key);
        if (transformName != null) {
            try {
                transform = FieldRule.Transform.of(transformName);
            } catch (IllegalArgumentException e) {
                throw error(key + ".transform", e.getMessage());
            }
        }
        String template = optionalText(node, "template", key);
        if (template != null && !template.contains("{}")) {
            throw error(key + ".template", "must contain {} (where the value goes)");
        }
        if (constant != null
                && (!map.isEmpty()
                        || defaultValue != null
                        || transformName != null
                        || template != null)) {
            throw error(key, "a constant takes no map, default, transform or template");
        }
        return checked(
                new FieldRule(
                        column,
                        constant,
                        sameAs,
                        map,
                        defaultValue,
                        keepUnmapped,
                        transform,
                        template),
                spec,
                key);
    }

    /** Checks that every value the rule writes itself suits the field's type. */
    private FieldRule checked(FieldRule rule, FieldSpec spec, String key) throws MappingException {
        for (String value : rule.literalValues()) {
            try {
                spec.type().canonical(value);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }
        return rule;
    }

    private char delimiter(String text) throws MappingException {
        if (text.equalsIgnoreCase("tab") || text.equals("\\t")) {
            return '\t';
        }
        if (text.length() != 1
                || text.charAt(0) == '"'
                || text.charAt(0) == '\n'
                || text.charAt(0) == '\r') {
            throw error("csv.delimiter", "must be one character other than a quote (or 'tab')");
        }
        return text.charAt(0);
    }

    private String optionalText(JsonNode node, String name, String key) throws MappingException {
        return optionalText(node, name, key, null);
    }

    private String optionalText(JsonNode node, String name, String key, FieldSpec spec)
            throws MappingException {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : scalar(value, key + "." + name, spec);
    }

    private JsonNode require(JsonNode node, String name, String parent) throws MappingException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw error(parent.isEmpty() ? name : parent + "." + name, "missing (it is required)");
        }
        return value;
    }

    private String nonBlank(JsonNode node, String key) throws MappingException {
        String value = text(node, key);
        if (value.isBlank()) {
            throw error(key, "must not be empty");
        }
        return value;
    }

    private String text(JsonNode node, String key) throws MappingException {
        return scalar(node, key, null);
    }

    /**
     * A scalar as text. Numbers keep their YAML spelling as far as Jackson gives it back; booleans
     * are accepted only for boolean fields (see the class comment).
     */
    private String scalar(JsonNode node, String key, FieldSpec spec) throws MappingException {
        if (node.isBoolean()) {
            if (spec != null && spec.type() == FieldSpec.ValueType.BOOLEAN) {
                return node.asText();
            }
            throw error(
                    key,
                    "YAML read this as the boolean "
                            + node.asText()
                            + " (yes/no/on/off/true/false are booleans): put the value in quotes");
        }
        if (!node.isValueNode()) {
            throw error(
                    key, "expected a single value, not " + (node.isArray() ? "a list" : "a map"));
        }
        return node.asText();
    }

    private void requireObject(JsonNode node, String key) throws MappingException {
        if (!node.isObject()) {
            throw error(
                    key,
                    "expected a map of keys to values, not "
                            + (node.isArray() ? "a list" : "'" + node.asText() + "'"));
        }
    }

    private void checkKeys(JsonNode node, String key, Set<String> allowed) throws MappingException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error(
                        key.isEmpty() ? name : key + "." + name,
                        "unknown key (expected one of: "
                                + String.join(", ", allowed.stream().sorted().toList())
                                + ")");
            }
        }
    }

    private MappingException error(String key, String message) {
        return new MappingException(file, key, message);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")";
    }
}
