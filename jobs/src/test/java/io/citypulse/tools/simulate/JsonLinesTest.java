package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines contract: exact shape, and a lossless round trip. */
class JsonLinesTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1793548800000L);

    @Test
    void writesATicketAsOneFlatObjectWithEveryAvroFieldInSchemaOrder() throws IOException {
        TicketEvent ticket =
                TicketEvent.newBuilder()
                        .setEventId("T-1#1")
                        .setTicketId("T-1")
                        .setType(TicketEventType.CREATED)
                        .setEventTime(CREATED)
                        .setChannel("HOTLINE")
                        .setCategoryCode("NOISE-CONSTRUCTION")
                        .setCategoryMajor("NOISE")
                        .setDistrict("Futian")
                        .setStreet(null)
                        .setAgency(null)
                        .setUrgency(Urgency.GENERAL)
                        .setExpedited(false)
                        .setDueTime(CREATED.plus(Duration.ofHours(24)))
                        .setSourceLeadId(null)
                        .setLocation(new Location(22.54123, 114.05))
                        .build();
        assertThat(write(ticket))
                .isEqualTo(
                        "{\"kind\":\"ticket\",\"eventId\":\"T-1#1\",\"ticketId\":\"T-1\","
                                + "\"type\":\"CREATED\",\"eventTime\":1793548800000,"
                                + "\"channel\":\"HOTLINE\",\"categoryCode\":\"NOISE-CONSTRUCTION\","
                                + "\"categoryMajor\":\"NOISE\",\"district\":\"Futian\","
                                + "\"street\":null,\"agency\":null,\"urgency\":\"GENERAL\","
                                + "\"expedited\":false,\"dueTime\":1793635200000,"
                                + "\"sourceLeadId\":null,"
                                + "\"location\":{\"lat\":22.54123,\"lon\":114.05}}\n");
    }

    @Test
    void writesALeadWithKindLead() throws IOException {
        LeadEvent lead =
                LeadEvent.newBuilder()
                        .setEventId("L-1#3")
                        .setLeadId("L-1")
                        .setType(LeadEventType.CONVERTED)
                        .setEventTime(CREATED)
                        .setPlatform("DOUYIN")
                        .setCategoryCode("ROADS-POTHOLE")
                        .setCategoryMajor("ROADS")
                        .setClassifierConfidence(0.87f)
                        .setDistrict(null)
                        .setContentFingerprint("00ff")
                        .setTicketId("TL-1")
                        .setEngagement(1234L)
                        .build();
        assertThat(write(lead))
                .isEqualTo(
                        "{\"kind\":\"lead\",\"eventId\":\"L-1#3\",\"leadId\":\"L-1\","
                                + "\"type\":\"CONVERTED\",\"eventTime\":1793548800000,"
                                + "\"platform\":\"DOUYIN\",\"categoryCode\":\"ROADS-POTHOLE\","
                                + "\"categoryMajor\":\"ROADS\",\"classifierConfidence\":0.87,"
                                + "\"district\":null,\"contentFingerprint\":\"00ff\","
                                + "\"ticketId\":\"TL-1\",\"engagement\":1234}\n");
    }

    @Test
    void everySimulatedEventSurvivesTheRoundTrip(@TempDir Path dir) throws IOException {
        CollectingSink memory = new CollectingSink();
        Path file = dir.resolve("city.jsonl");
        try (EventSink sink = new TeeSink(List.of(memory, JsonLinesSink.toFile(file)))) {
            SimulationRuns.run(11, MONDAY, Duration.ofHours(12), defaults(), sink);
        }
        List<SpecificRecord> read = JsonLines.read(file);
        List<Object> expected = new ArrayList<>(memory.all());
        assertThat(read).hasSize(expected.size()).hasSizeGreaterThan(5_000);
        for (int i = 0; i < read.size(); i++) {
            // Compare the single-object Avro bytes: equal bytes mean every field is equal.
            assertThat(bytes(read.get(i))).as("line %d", i + 1).isEqualTo(bytes(expected.get(i)));
        }
        assertThat(Files.readAllLines(file)).hasSize(expected.size());
    }

    @Test
    void readingNamesTheBadLineAndReason(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"kind\":\"lead\",\"eventId\":\"x\"}\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonLines.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":1:")
                .hasMessageContaining("missing field leadId");
        assertThatThrownBy(() -> JsonLines.parse("{\"kind\":\"alert\"}"))
                .hasMessageContaining("\"kind\" must be");
        assertThatThrownBy(() -> JsonLines.parse("not json")).hasMessageContaining("not JSON");
    }

    private static String write(Object event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(out)) {
            if (event instanceof TicketEvent ticket) {
                sink.ticket(ticket);
            } else {
                sink.lead((LeadEvent) event);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object event) throws IOException {
        java.nio.ByteBuffer buffer =
                event instanceof TicketEvent ticket
                        ? ticket.toByteBuffer()
                        : ((LeadEvent) event).toByteBuffer();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
