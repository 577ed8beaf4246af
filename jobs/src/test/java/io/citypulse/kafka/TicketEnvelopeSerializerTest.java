package io.citypulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * {@link TicketEnvelopeSerializer}: what goes in comes out, for every field {@link TicketEvent}'s
 * schema has. The events are built from the schema itself (a value for each field's type), so a
 * field added to the schema and not to the serializer fails here instead of vanishing in a shuffle.
 */
class TicketEnvelopeSerializerTest {

    private final TypeSerializer<TicketEnvelope> serializer =
            TicketEnvelopeSerializer.TYPE.createSerializer(new SerializerConfigImpl());

    /** Every field set, to a value other than its default: strings with non-ASCII characters. */
    private static TicketEvent everyFieldSet() {
        TicketEvent e = new TicketEvent();
        for (Schema.Field f : TicketEvent.getClassSchema().getFields()) {
            e.put(f.pos(), valueOf(f.schema(), f.name()));
        }
        return e;
    }

    private static Object valueOf(Schema schema, String name) {
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return valueOf(branch, name);
                    }
                }
                throw new AssertionError("a union of null only: " + name);
            case STRING:
                return name + "-福田区-" + name.length();
            case ENUM:
                return SpecificData.get()
                        .createEnum(
                                schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1),
                                schema);
            case LONG:
                assertThat(schema.getLogicalType()).as(name).isNotNull();
                return Instant.ofEpochMilli(1_760_000_000_123L + name.length());
            case BOOLEAN:
                return true;
            case RECORD:
                assertThat(schema.getFullName()).isEqualTo(Location.class.getName());
                return new Location(22.543096, 114.057865);
            default:
                throw new AssertionError(
                        "no test value for " + schema.getType() + " (field " + name + ")");
        }
    }

    private TicketEnvelope roundTrip(TicketEnvelope e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(e, out);
        byte[] bytes = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TicketEnvelope back = serializer.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        // copy(in, out) writes the same bytes again
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(bytes), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
        return back;
    }

    @Test
    void shouldCarryEveryFieldOfTheSchema() throws IOException {
        TicketEvent event = everyFieldSet();
        for (Schema.Field f : TicketEvent.getClassSchema().getFields()) {
            assertThat(event.get(f.pos())).as(f.name()).isNotNull();
        }
        TicketEnvelope back = roundTrip(TicketEnvelope.accepted(event, "tickets", 3, 1_234_567L));
        assertThat(back.event).isEqualTo(event);
        assertThat(back.rejected).isNull();
        assertThat(back.topic).isEqualTo("tickets");
        assertThat(back.partition).isEqualTo(3);
        assertThat(back.offset).isEqualTo(1_234_567L);
    }

    @Test
    void shouldCarryEveryOptionalFieldAsNull() throws IOException {
        TicketEvent event = everyFieldSet();
        int nulls = 0;
        for (Schema.Field f : TicketEvent.getClassSchema().getFields()) {
            if (f.schema().isNullable()) {
                event.put(f.pos(), null);
                nulls++;
            }
        }
        assertThat(nulls).as("street, agency, dueTime, sourceLeadId, location").isEqualTo(5);
        assertThat(roundTrip(TicketEnvelope.accepted(event, "t", 0, 0)).event).isEqualTo(event);
    }

    @Test
    void shouldCarryARejectedRecordsDeadLetter() throws IOException {
        DeadLetter letter =
                DeadLetters.of(
                        "sla",
                        "MALFORMED",
                        "not Avro",
                        "tickets",
                        1,
                        42L,
                        null,
                        null,
                        new byte[] {0, 1, 2, (byte) 0xff});
        TicketEnvelope back = roundTrip(TicketEnvelope.rejected(letter));
        assertThat(back.event).isNull();
        assertThat(back.rejected).isEqualTo(letter);
        assertThat(back.offset).isEqualTo(42L);
    }

    @Test
    void shouldCopyDeeply() {
        TicketEvent event = everyFieldSet();
        TicketEnvelope original = TicketEnvelope.accepted(event, "tickets", 1, 2);
        TicketEnvelope copy = serializer.copy(original);
        assertThat(copy.event).isEqualTo(event).isNotSameAs(event);
        copy.event.getLocation().setLat(0.0);
        copy.event.setAgency("other");
        assertThat(event.getLocation().getLat()).isEqualTo(22.543096);
        assertThat(event.getAgency()).isEqualTo("agency-福田区-6");
    }

    @Test
    void shouldRefuseBytesThatAreNoEnvelope() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {7, 0, 0, 0});
        assertThatThrownBy(() -> serializer.deserialize(in))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a ticket envelope: kind 7");
    }

    @Test
    void shouldRestoreFromItsSnapshot() {
        TypeSerializerSnapshot<TicketEnvelope> snapshot = serializer.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(snapshot)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(serializer.duplicate()).isEqualTo(serializer).isNotSameAs(serializer);
    }

    /**
     * The low-cardinality fields come back as one instance per value across records (what the SLA
     * state machine keeps of thousands of tickets on the heap), the others as read; also from a
     * serializer that travelled serialised, as it does to a task manager.
     */
    @Test
    void shouldReadEachValueOfTheLowCardinalityFieldsAsOneInstance() throws Exception {
        TypeSerializer<TicketEnvelope> shipped =
                InstantiationUtil.clone(serializer, getClass().getClassLoader());
        TicketEnvelope first = read(shipped, TicketEnvelope.accepted(everyFieldSet(), "t", 0, 1L));
        TicketEnvelope second = read(shipped, TicketEnvelope.accepted(everyFieldSet(), "t", 0, 2L));
        assertThat(second.event).isEqualTo(first.event);
        assertThat(second.topic).isSameAs(first.topic);
        assertThat(second.event.getChannel()).isSameAs(first.event.getChannel());
        assertThat(second.event.getCategoryCode()).isSameAs(first.event.getCategoryCode());
        assertThat(second.event.getCategoryMajor()).isSameAs(first.event.getCategoryMajor());
        assertThat(second.event.getDistrict()).isSameAs(first.event.getDistrict());
        assertThat(second.event.getAgency()).isSameAs(first.event.getAgency());
        assertThat(second.event.getEventId()).isNotSameAs(first.event.getEventId());
        assertThat(second.event.getStreet()).isNotSameAs(first.event.getStreet());
    }

    private static TicketEnvelope read(TypeSerializer<TicketEnvelope> s, TicketEnvelope e)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(e, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
