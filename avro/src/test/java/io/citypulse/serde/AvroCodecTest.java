package io.citypulse.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.serde.RecordDecodingException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    private static final Instant CREATED_AT = Instant.parse("2026-11-02T01:30:00Z");

    private static TicketEvent ticket() {
        return TicketEvent.newBuilder()
                .setEventId("t-1#0")
                .setTicketId("t-1")
                .setType(TicketEventType.CREATED)
                .setEventTime(CREATED_AT)
                .setChannel("HOTLINE")
                .setCategoryCode("NOISE-CONSTRUCTION")
                .setCategoryMajor("NOISE")
                .setDistrict("Futian")
                .setStreet("Shatou")
                .setUrgency(Urgency.EMERGENCY)
                .setExpedited(true)
                .setDueTime(CREATED_AT.plusSeconds(86_400))
                .setLocation(new Location(22.53, 114.05))
                .build();
    }

    private static Schema schemaResource(String path) throws IOException {
        try (InputStream in = AvroCodecTest.class.getClassLoader().getResourceAsStream(path)) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] writeGeneric(Schema writer, GenericRecord record) throws IOException {
        ByteBuffer buffer =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }

    /** A ticket as a writer on the newer fixture version (v2) would write it. */
    private static GenericRecord newerVersionRecord(Schema v2) {
        GenericRecord newer = new GenericData.Record(v2);
        TicketEvent base = ticket();
        for (Schema.Field f : TicketEvent.getClassSchema().getFields()) {
            Object value = base.get(f.name());
            // Plain GenericData knows no logical types: write timestamps as their epoch millis.
            newer.put(f.name(), value instanceof Instant t ? (Object) t.toEpochMilli() : value);
        }
        newer.put("type", new GenericData.EnumSymbol(v2.getField("type").schema(), "ESCALATED"));
        newer.put(
                "urgency", new GenericData.EnumSymbol(v2.getField("urgency").schema(), "CRITICAL"));
        newer.put("location", null);
        newer.put("satisfaction", 4);
        return newer;
    }

    @Test
    void shouldRoundTripTheCurrentVersion() throws Exception {
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);

        byte[] bytes = codec.encode(ticket());

        // Single-object encoding: marker C3 01, then the writer schema's fingerprint, little
        // endian.
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(AvroCodec.fingerprint(TicketEvent.getClassSchema()));
        assertThat(codec.decode(bytes)).isEqualTo(ticket());
    }

    @Test
    void shouldMatchTheGeneratedEncoderByteForByte() throws Exception {
        // Producers may use the generated toByteBuffer(); both must be the same wire format.
        ByteBuffer generated = ticket().toByteBuffer();
        byte[] expected =
                Arrays.copyOfRange(generated.array(), generated.position(), generated.limit());

        assertThat(AvroCodec.forType(TicketEvent.class).encode(ticket())).isEqualTo(expected);
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderVersionFromTheHistory() throws Exception {
        Schema v0 = schemaResource("test-history/TicketEvent/v0.avsc");
        AvroCodec<TicketEvent> codec =
                new AvroCodec<>(
                        TicketEvent.class,
                        TicketEvent.getClassSchema(),
                        "test-history/",
                        List.of());
        GenericRecord old = new GenericData.Record(v0);
        old.put("eventId", "old-1#0");
        old.put("ticketId", "old-1");
        old.put("type", new GenericData.EnumSymbol(v0.getField("type").schema(), "DISPATCHED"));
        old.put("eventTime", CREATED_AT.toEpochMilli());
        old.put("channel", "WEB");
        old.put("categoryCode", "ROADS-POTHOLE");
        old.put("categoryMajor", "ROADS");
        old.put("district", "Nanshan");
        old.put("agency", "Nanshan Roads Bureau");
        old.put("urgency", new GenericData.EnumSymbol(v0.getField("urgency").schema(), "GENERAL"));
        old.put("dueTime", null);

        TicketEvent read = codec.decode(writeGeneric(v0, old));

        assertThat(codec.knownWriterSchemas()).contains(v0);
        assertThat(read.getTicketId()).isEqualTo("old-1");
        assertThat(read.getType()).isEqualTo(TicketEventType.DISPATCHED);
        assertThat(read.getEventTime()).isEqualTo(CREATED_AT);
        assertThat(read.getAgency()).isEqualTo("Nanshan Roads Bureau");
        // Fields the old writer did not have take the current schema's defaults.
        assertThat(read.getStreet()).isNull();
        assertThat(read.getExpedited()).isFalse();
        assertThat(read.getSourceLeadId()).isNull();
        assertThat(read.getLocation()).isNull();
    }

    @Test
    void shouldReadANewerCompatibleVersionWithUnknownSymbolsAsDefaults() throws Exception {
        Schema v2 = schemaResource("schemas/TicketEvent-v2.avsc");
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class, List.of(v2));
        GenericRecord newer = newerVersionRecord(v2);

        TicketEvent read = codec.decode(writeGeneric(v2, newer));

        assertThat(read.getType()).isEqualTo(TicketEventType.UNKNOWN);
        assertThat(read.getUrgency()).isEqualTo(Urgency.GENERAL);
        assertThat(read.getTicketId()).isEqualTo("t-1");
        assertThat(read.getStreet()).isEqualTo("Shatou");
    }

    @Test
    void shouldRejectAnUnknownFingerprintWithAClearReason() throws Exception {
        Schema v2 = schemaResource("schemas/TicketEvent-v2.avsc");
        byte[] bytes = writeGeneric(v2, newerVersionRecord(v2));

        Throwable thrown = catchThrowable(() -> AvroCodec.forType(TicketEvent.class).decode(bytes));

        assertThat(thrown).isInstanceOf(RecordDecodingException.class);
        assertThat(((RecordDecodingException) thrown).reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
        String hex = java.util.HexFormat.of().formatHex(bytes, 2, 10);
        assertThat(thrown).hasMessageContaining(hex).hasMessageContaining("TicketEvent");
    }

    @Test
    void shouldRejectGarbageEmptyAndTruncatedValues() throws Exception {
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        byte[] good = codec.encode(ticket());

        assertReason(codec, null, Reason.EMPTY);
        assertReason(codec, new byte[0], Reason.EMPTY);
        assertReason(codec, "{\"ticketId\":\"t-1\"}".getBytes(), Reason.NOT_SINGLE_OBJECT);
        assertReason(codec, new byte[] {(byte) 0xC3}, Reason.NOT_SINGLE_OBJECT);
        assertReason(codec, Arrays.copyOf(good, good.length / 2), Reason.MALFORMED);
    }

    @Test
    void shouldNeverThrowAnythingButADecodingErrorOnCorruptBodies() {
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        byte[] good = codec.encode(ticket());
        Random random = new Random(7);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] corrupt = good.clone();
            // Keep the header so the body decoder is reached, then flip bytes or cut the end.
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                corrupt[10 + random.nextInt(corrupt.length - 10)] = (byte) random.nextInt(256);
            }
            if (random.nextBoolean()) {
                corrupt = Arrays.copyOf(corrupt, 10 + random.nextInt(corrupt.length - 10));
            }
            try {
                codec.decode(corrupt);
            } catch (RecordDecodingException e) {
                assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                rejected++;
            }
        }
        // Most corruptions are detected; the rest decode to some record, which validation
        // downstream must judge. Either way nothing else escaped the decoder.
        assertThat(rejected).isGreaterThan(1_000);
    }

    private static void assertReason(AvroCodec<TicketEvent> codec, byte[] value, Reason reason) {
        assertThatThrownBy(() -> codec.decode(value))
                .isInstanceOf(RecordDecodingException.class)
                .satisfies(
                        e -> assertThat(((RecordDecodingException) e).reason()).isEqualTo(reason));
    }
}
