package io.citypulse.tools.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's ground truth ({@code scripts/simulate --truth FILE}): the simulated window and
 * the incidents injected into it.
 *
 * @param start first instant of the simulated window, epoch ms
 * @param end end of the window (exclusive)
 * @param incidentsFrom {@code "incidentsFrom"} ({@code --incidents-after}): random incidents start
 *     no earlier than this; null when the run had no warm-up
 */
public record Truth(
        long seed,
        ZoneId zone,
        long start,
        long end,
        Long incidentsFrom,
        List<TruthIncident> incidents) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads a truth file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static Truth read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + ": not a truth file (invalid JSON: " + e.getOriginalMessage() + ")");
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static Truth parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a truth file (expected a JSON object)");
        }
        long start = requiredLong(root, "start");
        long end = requiredLong(root, "end");
        if (end <= start) {
            throw new IllegalArgumentException("\"end\" must be after \"start\"");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(root.path("zone").asText("Asia/Shanghai"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown \"zone\" " + root.get("zone"));
        }
        Long incidentsFrom =
                root.hasNonNull("incidentsFrom") ? requiredLong(root, "incidentsFrom") : null;
        JsonNode list = root.get("incidents");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("\"incidents\" must be a list");
        }
        List<TruthIncident> incidents = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            try {
                String id = requiredText(n, "id");
                long s = requiredLong(n, "start");
                long e = requiredLong(n, "end");
                if (e <= s) {
                    throw new IllegalArgumentException("\"end\" must be after \"start\"");
                }
                boolean leadDriven = n.path("leadDriven").asBoolean(false);
                Long leadStart = n.hasNonNull("leadStart") ? requiredLong(n, "leadStart") : null;
                if (leadDriven && leadStart == null) {
                    throw new IllegalArgumentException("lead-driven without \"leadStart\"");
                }
                incidents.add(
                        new TruthIncident(
                                id,
                                (int) requiredLong(n, "ordinal"),
                                requiredText(n, "categoryMajor"),
                                optionalText(n, "categoryCode"),
                                optionalText(n, "district"),
                                s,
                                e,
                                n.path("multiplier").asDouble(Double.NaN),
                                leadDriven,
                                leadDriven ? leadStart : null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "incident " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Truth(
                root.path("seed").asLong(0),
                zone,
                start,
                end,
                incidentsFrom,
                List.copyOf(incidents));
    }

    private static long requiredLong(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("\"" + key + "\" is missing");
        }
        if (!v.canConvertToLong() || !(v.isIntegralNumber() || v.isTextual())) {
            throw new IllegalArgumentException("\"" + key + "\" must be a whole number: " + v);
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + key + "\" must be a whole number: " + v);
            }
        }
        return v.asLong();
    }

    private static String requiredText(JsonNode node, String key) {
        String value = optionalText(node, key);
        if (value == null) {
            throw new IllegalArgumentException("\"" + key + "\" is missing");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return null;
        }
        return v.asText();
    }
}
