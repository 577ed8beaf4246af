package io.citypulse.tools.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON-lines form of simulated events: one JSON object per line, {@code "kind"} first ({@code
 * "ticket"} or {@code "lead"}), then every field of the Avro record by its Avro name in schema
 * order (see {@link AvroJson} for the value mapping). It is the input that independent checks
 * recompute results from, so it is a contract: field order is fixed and the same events always give
 * the same bytes.
 *
 * <pre>{@code
 * {"kind":"ticket","eventId":"T-2026110116-00001#1","ticketId":"T-2026110116-00001","type":"CREATED",
 *  "eventTime":1793548851234,"channel":"HOTLINE","categoryCode":"HOUSING-RENTAL-DISPUTE",...}
 * }</pre>
 */
public final class JsonLines {

    public static final String KIND = "kind";
    public static final String TICKET = "ticket";
    public static final String LEAD = "lead";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /** A generator for JSON lines: nothing between root values but the newlines we write. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = new JsonFactory().createGenerator(out);
        json.setRootValueSeparator(null);
        return json;
    }

    static void write(JsonGenerator json, TicketEvent event) throws IOException {
        writeLine(json, TICKET, event);
    }

    static void write(JsonGenerator json, LeadEvent event) throws IOException {
        writeLine(json, LEAD, event);
    }

    private static void writeLine(JsonGenerator json, String kind, SpecificRecord event)
            throws IOException {
        json.writeStartObject();
        json.writeStringField(KIND, kind);
        AvroJson.writeFields(json, event);
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /**
     * Parses one line back into a {@link TicketEvent} or {@link LeadEvent}.
     *
     * @throws IllegalArgumentException if the line is not a valid event
     */
    public static SpecificRecord parse(String line) {
        JsonNode json;
        try {
            json = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode kind = json.get(KIND);
        String k = kind == null ? null : kind.asText();
        if (TICKET.equals(k)) {
            return AvroJson.readFields(json, new TicketEvent());
        }
        if (LEAD.equals(k)) {
            return AvroJson.readFields(json, new LeadEvent());
        }
        throw new IllegalArgumentException("\"kind\" must be \"ticket\" or \"lead\", was " + kind);
    }

    /** Reads a whole JSON-lines file; error messages name the line. */
    public static List<SpecificRecord> read(Path file) throws IOException {
        List<SpecificRecord> events = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                try {
                    events.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        }
        return events;
    }
}
