package io.citypulse.tools.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the alerts to score come from: ClickHouse ({@link ClickHouseAlertSource}), a JSON-lines
 * export ({@link #jsonLines}), or, in tests, a list ({@code () -> List.of(...)}).
 */
@FunctionalInterface
public interface AlertSource {

    /** Every alert episode, one per alert id. */
    List<AlertRecord> alerts() throws IOException;

    /**
     * Alerts from a JSON-lines file: one object per line, as ClickHouse writes {@code SELECT ...
     * FROM alerts FINAL FORMAT JSONEachRow} (snake_case columns) or as the Avro records of the
     * Kafka topic read as JSON (camelCase fields). {@code opened_at} is epoch ms (a number or a
     * numeric string), an ISO-8601 instant, or ClickHouse's {@code 2026-11-02 08:00:00.000} in
     * {@code zone}; {@code opened_at_ms} is read too. Several lines of one alert id (revisions)
     * count once: the line with the highest {@code revision} wins.
     */
    static AlertSource jsonLines(Path file, ZoneId zone) {
        return () -> {
            Map<String, JsonNode> latest = new LinkedHashMap<>();
            ObjectMapper mapper = new ObjectMapper();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode row = mapper.readTree(line);
                        String id = Rows.text(row, "alert_id", "alertId");
                        if (id.isEmpty()) {
                            throw new IllegalArgumentException("no alert_id");
                        }
                        JsonNode seen = latest.get(id);
                        if (seen == null || Rows.revision(row) > Rows.revision(seen)) {
                            latest.put(id, row);
                        }
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException(
                                file + ":" + number + ": not JSON: " + e.getOriginalMessage());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                file + ":" + number + ": " + e.getMessage(), e);
                    }
                }
            }
            List<AlertRecord> alerts = new ArrayList<>();
            for (JsonNode row : latest.values()) {
                alerts.add(Rows.alert(row, zone));
            }
            return alerts;
        };
    }

    /** Reading alert rows, shared by the sources. */
    final class Rows {

        private static final DateTimeFormatter CLICKHOUSE_TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][.SS][.S]");

        private Rows() {}

        static AlertRecord alert(JsonNode row, ZoneId zone) {
            String id = text(row, "alert_id", "alertId");
            String major = text(row, "category_major", "categoryMajor");
            if (id.isEmpty() || major.isEmpty()) {
                throw new IllegalArgumentException(
                        "alert row without alert_id or category_major: " + row);
            }
            JsonNode opened = field(row, "opened_at_ms", "opened_at", "openedAt");
            if (opened == null) {
                throw new IllegalArgumentException("alert " + id + " without opened_at");
            }
            JsonNode lead = field(row, "lead_driven", "leadDriven");
            boolean leadDriven =
                    lead != null
                            && (lead.asBoolean(false)
                                    || lead.asText().equals("1")
                                    || lead.asText().equalsIgnoreCase("true"));
            return new AlertRecord(
                    id,
                    text(row, "scope", "scope"),
                    major,
                    text(row, "category_code", "categoryCode"),
                    text(row, "district", "district"),
                    leadDriven,
                    time(opened, zone, id));
        }

        static long revision(JsonNode row) {
            JsonNode r = field(row, "revision", "revision");
            return r == null ? -1 : r.asLong(-1);
        }

        static String text(JsonNode row, String... names) {
            JsonNode v = field(row, names);
            return v == null ? "" : v.asText().strip();
        }

        private static JsonNode field(JsonNode row, String... names) {
            for (String name : names) {
                JsonNode v = row.get(name);
                if (v != null && !v.isNull()) {
                    return v;
                }
            }
            return null;
        }

        private static long time(JsonNode value, ZoneId zone, String id) {
            if (value.isIntegralNumber()) {
                return value.asLong();
            }
            String text = value.asText().strip();
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException notMillis) {
                // other forms below
            }
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                // other forms below
            }
            try {
                return LocalDateTime.parse(text, CLICKHOUSE_TIME)
                        .atZone(zone)
                        .toInstant()
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "alert " + id + ": cannot read opened_at '" + text + "' as a time");
            }
        }
    }
}
