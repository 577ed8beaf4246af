package io.citypulse.tools.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads the simulator's JSON-lines event files ({@code scripts/simulate --jsonl FILE}) directly
 * with Jackson, independently of the jobs: only the tickets' CREATED events, in file order.
 * Malformed-record lines (fault injection) carry no event and are skipped; a redelivered CREATED (a
 * {@code duplicate} fault) is passed on again, so the consumer de-duplicates by ticket id.
 */
final class EventFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventFiles() {}

    /**
     * Streams the CREATED events of one file to {@code sink}.
     *
     * @return the number of lines read
     * @throws IllegalArgumentException naming the file and line when a line is not an event line
     */
    static long readCreated(Path file, Consumer<CreatedTicket> sink) throws IOException {
        long number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                if (number == 1 && !line.startsWith("{\"kind\":")) {
                    throw new IllegalArgumentException(
                            file
                                    + ":1: not a simulator JSON-lines file (lines start with"
                                    + " {\"kind\":...)");
                }
                // Cheap filter: only ticket CREATED lines are parsed.
                if (!line.contains("\"type\":\"CREATED\"") || !line.contains("\"ticket\"")) {
                    continue;
                }
                JsonNode json;
                try {
                    json = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(
                            file + ":" + number + ": not JSON: " + e.getOriginalMessage());
                }
                if (!"ticket".equals(json.path("kind").asText())
                        || !"CREATED".equals(json.path("type").asText())) {
                    continue;
                }
                String id = json.path("ticketId").asText("");
                JsonNode time = json.get("eventTime");
                if (id.isEmpty() || time == null || !time.canConvertToLong()) {
                    throw new IllegalArgumentException(
                            file + ":" + number + ": a CREATED line without ticketId or eventTime");
                }
                sink.accept(
                        new CreatedTicket(
                                id,
                                time.asLong(),
                                json.path("categoryMajor").asText(""),
                                json.path("categoryCode").asText(""),
                                json.path("district").asText("")));
            }
        }
        return number;
    }
}
