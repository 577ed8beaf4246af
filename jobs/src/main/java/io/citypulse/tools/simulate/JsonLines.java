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
import java.util.Base64;
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
 *
 * <h2>Faults</h2>
 *
 * When faults are injected ({@code --disorder}, {@code --duplicates}, {@code --late}, {@code
 * --malformed}) the lines are in delivery order (the order of the Kafka writes) and every line ends
 * with {@code "deliverySeq"} (1, 2, 3, ...); a line with a fault carries {@code "fault"} before it:
 *
 * <pre>{@code
 * {"kind":"ticket",...every Avro field...,"fault":"duplicate","deliverySeq":1041}
 * {"kind":"ticket",...every Avro field...,"fault":"late","deliverySeq":1042}
 * {"kind":"lead","fault":"malformed","key":"L-2026110116-0007","timestamp":1793548851234,
 *  "malformation":"truncated","valueBase64":"wwE...","deliverySeq":1043}
 * }</pre>
 *
 * A record without a fault has no {@code "fault"} field, and a run without faults writes exactly
 * the lines it always did (no {@code "deliverySeq"} either).
 */
public final class JsonLines {

    public static final String KIND = "kind";
    public static final String TICKET = "ticket";
    public static final String LEAD = "lead";
    public static final String FAULT = "fault";
    public static final String DELIVERY_SEQ = "deliverySeq";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /** A generator for JSON lines: nothing between root values but the newlines we write. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = new JsonFactory().createGenerator(out);
        json.setRootValueSeparator(null);
        return json;
    }

    static void write(JsonGenerator json, TicketEvent event) throws IOException {
        writeLine(json, TICKET, event, null);
    }

    static void write(JsonGenerator json, LeadEvent event) throws IOException {
        writeLine(json, LEAD, event, null);
    }

    /** A delivered record (faults on): the event or malformed record, its fault and sequence. */
    static void write(JsonGenerator json, Delivery delivery) throws IOException {
        if (delivery.malformed() != null) {
            MalformedRecord m = delivery.malformed();
            json.writeStartObject();
            json.writeStringField(KIND, m.kind());
            json.writeStringField(FAULT, Fault.MALFORMED.jsonName());
            json.writeStringField("key", m.key());
            json.writeNumberField("timestamp", m.timestampMs());
            json.writeStringField("malformation", m.variant());
            json.writeStringField("valueBase64", Base64.getEncoder().encodeToString(m.value()));
            json.writeNumberField(DELIVERY_SEQ, delivery.seq());
            json.writeEndObject();
            json.writeRaw('\n');
            return;
        }
        String kind = delivery.event() instanceof TicketEvent ? TICKET : LEAD;
        writeLine(json, kind, (SpecificRecord) delivery.event(), delivery);
    }

    private static void writeLine(
            JsonGenerator json, String kind, SpecificRecord event, Delivery delivery)
            throws IOException {
        json.writeStartObject();
        json.writeStringField(KIND, kind);
        AvroJson.writeFields(json, event);
        if (delivery != null) {
            if (delivery.fault() != Fault.NONE) {
                json.writeStringField(FAULT, delivery.fault().jsonName());
            }
            json.writeNumberField(DELIVERY_SEQ, delivery.seq());
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /**
     * Parses one line back into a {@link TicketEvent} or {@link LeadEvent} (fault fields are
     * ignored; see {@link #parseLine} for them).
     *
     * @throws IllegalArgumentException if the line is not a valid event (a malformed record is not)
     */
    public static SpecificRecord parse(String line) {
        Line parsed = parseLine(line);
        if (parsed.event() == null) {
            throw new IllegalArgumentException(
                    "a malformed record (\"fault\":\"malformed\"), not an event");
        }
        return parsed.event();
    }

    /**
     * One line of a JSON-lines file with its fault marks.
     *
     * @param kind {@code ticket} or {@code lead}
     * @param event the event, or null for a malformed record
     * @param fault the line's fault (NONE without a {@code "fault"} field)
     * @param deliverySeq the {@code "deliverySeq"}, or -1 when absent (a run without faults)
     * @param malformedValue the bytes written to Kafka for a malformed record, else null
     */
    public record Line(
            String kind,
            SpecificRecord event,
            Fault fault,
            long deliverySeq,
            byte[] malformedValue) {}

    /** Parses one line with its fault marks. */
    public static Line parseLine(String line) {
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
        if (!TICKET.equals(k) && !LEAD.equals(k)) {
            throw new IllegalArgumentException(
                    "\"kind\" must be \"ticket\" or \"lead\", was " + kind);
        }
        JsonNode faultNode = json.get(FAULT);
        Fault fault =
                Fault.fromJsonName(
                        faultNode == null || faultNode.isNull() ? null : faultNode.asText());
        JsonNode seqNode = json.get(DELIVERY_SEQ);
        long seq = seqNode == null ? -1 : seqNode.asLong();
        if (fault == Fault.MALFORMED) {
            JsonNode value = json.get("valueBase64");
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("malformed record without \"valueBase64\"");
            }
            return new Line(k, null, fault, seq, Base64.getDecoder().decode(value.textValue()));
        }
        SpecificRecord event =
                TICKET.equals(k)
                        ? AvroJson.readFields(json, new TicketEvent())
                        : AvroJson.readFields(json, new LeadEvent());
        return new Line(k, event, fault, seq, null);
    }

    /**
     * Reads the events of a JSON-lines file in file (delivery) order: duplicates twice, late events
     * where they were delivered; malformed records are skipped. Error messages name the line.
     */
    public static List<SpecificRecord> read(Path file) throws IOException {
        List<SpecificRecord> events = new ArrayList<>();
        for (Line line : readLines(file)) {
            if (line.event() != null) {
                events.add(line.event());
            }
        }
        return events;
    }

    /** Reads every line of a JSON-lines file with its fault marks; error messages name the line. */
    public static List<Line> readLines(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                try {
                    lines.add(parseLine(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            file + ":" + number + ": " + e.getMessage(), e);
                }
            }
        }
        return lines;
    }
}
