package io.citypulse.serde;

import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.SystemLimitException;

/**
 * Reads the Avro binary body of a {@link TicketEvent} written with the current schema, field by
 * field, without Avro's resolving decoder: what the sources do for nearly every record. Avro
 * generates such a reader itself only for schemas without logical types, and {@code eventTime} is a
 * {@code timestamp-millis}, so its generic path (a grammar of the resolution, a setter call through
 * the record's field index, a {@code Utf8} per string) cost a third of every job's source thread.
 *
 * <p>Written for exactly one schema, whose fingerprint is {@link #WRITTEN_FOR}: {@link AvroCodec}
 * uses it only for values whose header names that fingerprint, and only while the generated class's
 * schema still has it (a changed schema falls back to the generic path, and {@code
 * TicketEventReaderTest} fails until this reader is updated). It decides like Avro's decoder: same
 * limits on string lengths ({@link SystemLimitException}), same lenient booleans (only 1 is true),
 * invalid UTF-8 replaced, bytes after the record ignored; everything Avro would reject (truncated
 * bodies, over-long varints, enum or union indexes out of range) is a {@link
 * RecordDecodingException.Reason#MALFORMED}.
 */
final class TicketEventReader {

    /** CRC-64-AVRO fingerprint of the schema this reader was written for. */
    static final long WRITTEN_FOR = 0x42B83E590678575EL;

    private static final TicketEventType[] TYPES = TicketEventType.values();
    private static final Urgency[] URGENCIES = Urgency.values();

    private TicketEventReader() {}

    /** The record whose body starts at {@code offset} of {@code value}. */
    static TicketEvent read(byte[] value, int offset) throws RecordDecodingException {
        Body in = new Body(value, offset);
        TicketEvent event = new TicketEvent();
        event.setEventId(in.string());
        event.setTicketId(in.string());
        event.setType(TYPES[in.index(TYPES.length)]);
        event.setEventTime(Instant.ofEpochMilli(in.varLong()));
        event.setChannel(in.string());
        event.setCategoryCode(in.string());
        event.setCategoryMajor(in.string());
        event.setDistrict(in.string());
        event.setStreet(in.nullable() ? in.string() : null);
        event.setAgency(in.nullable() ? in.string() : null);
        event.setUrgency(URGENCIES[in.index(URGENCIES.length)]);
        event.setExpedited(in.bool());
        event.setDueTime(in.nullable() ? Instant.ofEpochMilli(in.varLong()) : null);
        event.setSourceLeadId(in.nullable() ? in.string() : null);
        if (in.nullable()) {
            Location location = new Location();
            location.setLat(in.float64());
            location.setLon(in.float64());
            event.setLocation(location);
        }
        return event;
    }

    private static final VarHandle LITTLE_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The 8 bytes at {@code at}, little-endian (Avro's doubles, single-object fingerprints). */
    static long littleEndianLong(byte[] bytes, int at) {
        return (long) LITTLE_ENDIAN_LONGS.get(bytes, at);
    }

    private static RecordDecodingException malformed(String what) {
        return new RecordDecodingException(
                RecordDecodingException.Reason.MALFORMED,
                "malformed " + TicketEvent.getClassSchema().getName() + " body: " + what,
                null);
    }

    /** A cursor over the body; Avro's binary encoding of each primitive. */
    private static final class Body {
        private final byte[] bytes;
        private int pos;

        Body(byte[] bytes, int pos) {
            this.bytes = bytes;
            this.pos = pos;
        }

        private int next() throws RecordDecodingException {
            if (pos >= bytes.length) {
                throw malformed("ends at byte " + pos + " inside a value");
            }
            return bytes[pos++] & 0xff;
        }

        /** A zig-zag varint of at most 5 bytes, as Avro reads ints (higher bits dropped alike). */
        int varInt() throws RecordDecodingException {
            int n = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = next();
                n |= (b & 0x7f) << shift;
                if (b < 0x80) {
                    return (n >>> 1) ^ -(n & 1);
                }
            }
            throw malformed("invalid int encoding at byte " + pos);
        }

        /** A zig-zag varint of at most 10 bytes. */
        long varLong() throws RecordDecodingException {
            long n = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = next();
                n |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return (n >>> 1) ^ -(n & 1);
                }
            }
            throw malformed("invalid long encoding at byte " + pos);
        }

        /** An enum symbol's index below {@code size}. */
        int index(int size) throws RecordDecodingException {
            int i = varInt();
            if (i < 0 || i >= size) {
                throw malformed("index " + i + " out of range 0.." + (size - 1));
            }
            return i;
        }

        /** A {@code ["null", T]} union's branch: true for T. */
        boolean nullable() throws RecordDecodingException {
            return index(2) == 1;
        }

        boolean bool() throws RecordDecodingException {
            return next() == 1;
        }

        String string() throws RecordDecodingException {
            long announced = varLong();
            int length;
            try {
                length = SystemLimitException.checkMaxStringLength(announced);
            } catch (RuntimeException e) {
                // Negative, past Avro's limit or past what an array holds: as Avro says it.
                throw malformed(e.toString());
            }
            if (length > bytes.length - pos) {
                throw malformed(
                        "a string of " + length + " bytes at byte " + pos + " past the end");
            }
            String s = new String(bytes, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        double float64() throws RecordDecodingException {
            if (bytes.length - pos < 8) {
                throw malformed("ends at byte " + bytes.length + " inside a double");
            }
            long bits = littleEndianLong(bytes, pos);
            pos += 8;
            return Double.longBitsToDouble(bits);
        }
    }
}
