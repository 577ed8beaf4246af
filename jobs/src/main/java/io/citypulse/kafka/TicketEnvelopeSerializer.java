package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.common.StringPool;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.types.StringValue;

/**
 * The {@link TicketEnvelope}s of a shuffle (source to lifecycle gate, source to {@code sla}'s state
 * machine), field by field, instead of Flink's POJO serializer around Avro's: that one sets each
 * field by reflection after creating a throwaway instance of every field's type (an event and a
 * dead letter per record), and Avro's reader decodes each string through a {@code Utf8} copy and
 * boxes every long and double.
 *
 * <p>Every field of {@link TicketEvent}'s schema is written ({@code TicketEnvelopeSerializerTest}
 * fills each field the schema has and fails when one does not come back, so a field added to the
 * schema must be added here). Enums travel as their ordinal: this is a serializer for records in
 * flight between two tasks of one job, not for state (the gate's waiting list keeps the POJO
 * serializer, so savepoints are unchanged). A rejected record's dead letter, which the job splits
 * off before any shuffle, goes through Avro's serializer.
 */
public final class TicketEnvelopeSerializer extends TypeSerializer<TicketEnvelope> {

    private static final long serialVersionUID = 1L;

    private static final byte ACCEPTED = 1;
    private static final byte REJECTED = 2;
    private static final byte EMPTY = 0;

    /** The type of a stream of envelopes that this serializer carries through a shuffle. */
    public static final TypeInformation<TicketEnvelope> TYPE = new Type();

    private static final TicketEventType[] TYPES = TicketEventType.values();
    private static final Urgency[] URGENCIES = Urgency.values();

    /**
     * Distinct values of the low-cardinality fields (channel, category, district, agency, topic)
     * kept as one instance each; far more than a city's catalogue and agencies.
     */
    static final int POOLED_VALUES = 16_384;

    private final TypeSerializer<DeadLetter> deadLetters;

    /**
     * The low-cardinality fields read, one instance per value: the SLA state machine keeps every
     * cached ticket's steps and attributes on the heap, and a new string per event for each of them
     * was garbage to copy and promote. This serializer's own (Flink gives each thread its own
     * instance, {@link #duplicate()}); made on first use, as the serializer itself travels to the
     * task managers serialised.
     */
    private transient StringPool pool;

    public TicketEnvelopeSerializer() {
        this(new AvroSerializer<>(DeadLetter.class));
    }

    private TicketEnvelopeSerializer(TypeSerializer<DeadLetter> deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<TicketEnvelope> duplicate() {
        return new TicketEnvelopeSerializer(deadLetters.duplicate());
    }

    @Override
    public TicketEnvelope createInstance() {
        return new TicketEnvelope();
    }

    @Override
    public TicketEnvelope copy(TicketEnvelope from) {
        TicketEnvelope e = new TicketEnvelope();
        e.event = from.event == null ? null : TicketEvent.newBuilder(from.event).build();
        e.rejected = from.rejected == null ? null : deadLetters.copy(from.rejected);
        e.topic = from.topic;
        e.partition = from.partition;
        e.offset = from.offset;
        return e;
    }

    @Override
    public TicketEnvelope copy(TicketEnvelope from, TicketEnvelope reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TicketEnvelope e, DataOutputView out) throws IOException {
        if (e.event != null) {
            out.writeByte(ACCEPTED);
            writeEvent(e.event, out);
        } else if (e.rejected != null) {
            out.writeByte(REJECTED);
            deadLetters.serialize(e.rejected, out);
        } else {
            out.writeByte(EMPTY);
        }
        StringValue.writeString(e.topic, out);
        out.writeInt(e.partition);
        out.writeLong(e.offset);
    }

    @Override
    public TicketEnvelope deserialize(DataInputView in) throws IOException {
        TicketEnvelope e = new TicketEnvelope();
        byte kind = in.readByte();
        if (kind == ACCEPTED) {
            e.event = readEvent(in);
        } else if (kind == REJECTED) {
            e.rejected = deadLetters.deserialize(in);
        } else if (kind != EMPTY) {
            throw new IOException("not a ticket envelope: kind " + kind);
        }
        e.topic = pooled(StringValue.readString(in));
        e.partition = in.readInt();
        e.offset = in.readLong();
        return e;
    }

    @Override
    public TicketEnvelope deserialize(TicketEnvelope reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeEvent(TicketEvent ev, DataOutputView out) throws IOException {
        StringValue.writeString(ev.getEventId(), out);
        StringValue.writeString(ev.getTicketId(), out);
        writeEnum(ev.getType(), out);
        writeInstant(ev.getEventTime(), out);
        StringValue.writeString(ev.getChannel(), out);
        StringValue.writeString(ev.getCategoryCode(), out);
        StringValue.writeString(ev.getCategoryMajor(), out);
        StringValue.writeString(ev.getDistrict(), out);
        StringValue.writeString(ev.getStreet(), out);
        StringValue.writeString(ev.getAgency(), out);
        writeEnum(ev.getUrgency(), out);
        out.writeBoolean(ev.getExpedited());
        writeInstant(ev.getDueTime(), out);
        StringValue.writeString(ev.getSourceLeadId(), out);
        Location location = ev.getLocation();
        out.writeBoolean(location != null);
        if (location != null) {
            out.writeDouble(location.getLat());
            out.writeDouble(location.getLon());
        }
    }

    private TicketEvent readEvent(DataInputView in) throws IOException {
        TicketEvent ev = new TicketEvent();
        ev.setEventId(StringValue.readString(in));
        ev.setTicketId(StringValue.readString(in));
        int type = in.readByte();
        ev.setType(type < 0 ? null : TYPES[type]);
        ev.setEventTime(readInstant(in));
        ev.setChannel(pooled(StringValue.readString(in)));
        ev.setCategoryCode(pooled(StringValue.readString(in)));
        ev.setCategoryMajor(pooled(StringValue.readString(in)));
        ev.setDistrict(pooled(StringValue.readString(in)));
        ev.setStreet(StringValue.readString(in));
        ev.setAgency(pooled(StringValue.readString(in)));
        int urgency = in.readByte();
        ev.setUrgency(urgency < 0 ? null : URGENCIES[urgency]);
        ev.setExpedited(in.readBoolean());
        ev.setDueTime(readInstant(in));
        ev.setSourceLeadId(StringValue.readString(in));
        if (in.readBoolean()) {
            ev.setLocation(new Location(in.readDouble(), in.readDouble()));
        }
        return ev;
    }

    private String pooled(String value) {
        if (pool == null) {
            pool = new StringPool(POOLED_VALUES);
        }
        return pool.canonical(value);
    }

    private static void writeEnum(Enum<?> value, DataOutputView out) throws IOException {
        out.writeByte(value == null ? -1 : value.ordinal());
    }

    private static void writeInstant(Instant time, DataOutputView out) throws IOException {
        out.writeBoolean(time != null);
        if (time != null) {
            out.writeLong(time.toEpochMilli());
        }
    }

    private static Instant readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochMilli(in.readLong()) : null;
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof TicketEnvelopeSerializer;
    }

    @Override
    public int hashCode() {
        return TicketEnvelopeSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<TicketEnvelope> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any snapshot restores it as it is. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TicketEnvelope> {
        public Snapshot() {
            super(TicketEnvelopeSerializer::new);
        }
    }

    /** {@link #TYPE}. */
    private static final class Type extends TypeInformation<TicketEnvelope> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<TicketEnvelope> getTypeClass() {
            return TicketEnvelope.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<TicketEnvelope> createSerializer(SerializerConfig config) {
            return new TicketEnvelopeSerializer();
        }

        @Override
        public String toString() {
            return "TicketEnvelope (field by field)";
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Type;
        }

        @Override
        public int hashCode() {
            return Type.class.hashCode();
        }

        @Override
        public boolean canEqual(Object obj) {
            return obj instanceof Type;
        }
    }
}
