package io.citypulse.serde;

import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Encodes and decodes one record type as Avro single-object encoding (marker {@code C3 01}, 8-byte
 * CRC-64-AVRO fingerprint of the writer schema, Avro binary body) — the Kafka value format of every
 * CityPulse topic.
 *
 * <p>The reader resolves the writer's schema by fingerprint among every released version of the
 * record, which the avro module ships under {@code io/citypulse/avro/history/<Record>/} (listed in
 * {@code index.txt} there). So a job reads records written with an older schema version, and a job
 * built from an older version reads records of a newer compatible version as long as that version
 * was released into the history before the writers started to use it (upgrade readers first).
 *
 * <p>Not thread-safe to share across Flink subtasks only in the sense that it is not {@link
 * java.io.Serializable}: create one per operator instance in {@code open()}.
 */
public final class AvroCodec<T extends SpecificRecordBase> {

    static {
        // A corrupt body can announce a string or bytes length of up to 2 GiB; Avro would try to
        // allocate it before noticing the input is shorter. Records here are small, so cap what a
        // single value may claim (operators may still raise it with the same property).
        capIfUnset("org.apache.avro.limits.string.maxLength", 8 << 20);
        capIfUnset("org.apache.avro.limits.bytes.maxLength", 8 << 20);
        capIfUnset("org.apache.avro.limits.collectionItems.maxLength", 1 << 20);
    }

    /** Classpath folder holding the released past versions of each record's schema. */
    public static final String HISTORY_ROOT = "io/citypulse/avro/history/";

    private final Class<T> type;
    private final Schema readerSchema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final List<Schema> knownWriterSchemas;

    /**
     * Reads the current schema's bodies without Avro's resolving decoder, or null (none written).
     */
    private final BodyReader<T> currentReader;

    /** The current (reader) schema's fingerprint, as a single-object header holds it. */
    private final long currentFingerprint;

    /** A hand-written reader of one schema's binary body (see {@link TicketEventReader}). */
    interface BodyReader<T> {
        T read(byte[] value, int offset) throws RecordDecodingException;
    }

    AvroCodec(
            Class<T> type,
            Schema readerSchema,
            String historyRoot,
            Collection<Schema> extraWriterSchemas) {
        this.type = type;
        this.readerSchema = readerSchema;
        SpecificData model = SpecificData.getForClass(type);
        this.encoder = new BinaryMessageEncoder<>(model, readerSchema);
        this.decoder = new BinaryMessageDecoder<>(model, readerSchema);
        // The reader schema itself is registered by BinaryMessageDecoder; add the past versions.
        List<Schema> known = new ArrayList<>(loadHistory(historyRoot, readerSchema.getName()));
        known.addAll(extraWriterSchemas);
        for (Schema writer : known) {
            decoder.addSchema(writer);
        }
        this.knownWriterSchemas = List.copyOf(known);
        this.currentFingerprint = fingerprint(readerSchema);
        this.currentReader = currentReader(type, currentFingerprint);
    }

    /**
     * The hand-written reader of {@code type}'s current schema, if there is one and it was written
     * for the schema the generated class has now.
     */
    @SuppressWarnings("unchecked")
    private static <T> BodyReader<T> currentReader(Class<T> type, long fingerprint) {
        if (type == TicketEvent.class && fingerprint == TicketEventReader.WRITTEN_FOR) {
            return (BodyReader<T>) (BodyReader<TicketEvent>) TicketEventReader::read;
        }
        return null;
    }

    /** The hand-written reader used for values of the current schema, or null: Avro's decoder. */
    BodyReader<T> currentReader() {
        return currentReader;
    }

    /** A codec for {@code type} that knows every released version of its schema. */
    public static <T extends SpecificRecordBase> AvroCodec<T> forType(Class<T> type) {
        return new AvroCodec<>(type, SpecificData.get().getSchema(type), HISTORY_ROOT, List.of());
    }

    /**
     * A codec that, besides the released history, reads values written with {@code
     * extraWriterSchemas} (e.g. a newer version deployed before this build knew it).
     */
    public static <T extends SpecificRecordBase> AvroCodec<T> forType(
            Class<T> type, Collection<Schema> extraWriterSchemas) {
        return new AvroCodec<>(
                type, SpecificData.get().getSchema(type), HISTORY_ROOT, extraWriterSchemas);
    }

    public Class<T> type() {
        return type;
    }

    public Schema readerSchema() {
        return readerSchema;
    }

    /** The writer schemas this codec resolves by fingerprint (the current one included). */
    public List<Schema> knownWriterSchemas() {
        return knownWriterSchemas;
    }

    /** Single-object encoding of {@code record} with the current schema. */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes a single-object encoded value into the current schema's record, resolving the writer
     * schema by its fingerprint.
     *
     * @throws RecordDecodingException with the reason when the value is not a usable record
     */
    public T decode(byte[] value) throws RecordDecodingException {
        if (value == null || value.length == 0) {
            throw new RecordDecodingException(
                    RecordDecodingException.Reason.EMPTY, "empty record value", null);
        }
        if (currentReader != null && isCurrent(value)) {
            return currentReader.read(value, HEADER_BYTES);
        }
        return decodeResolving(value);
    }

    /** Single-object header: marker C3 01, then the writer schema's fingerprint, little-endian. */
    private static final int HEADER_BYTES = 10;

    /** Whether {@code value} has a single-object header naming the current schema. */
    private boolean isCurrent(byte[] value) {
        if (value.length < HEADER_BYTES || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return false;
        }
        return TicketEventReader.littleEndianLong(value, 2) == currentFingerprint;
    }

    /**
     * {@link #decode} through Avro's own decoder whatever the writer schema: the path of every
     * value without a hand-written reader, and the reference the hand-written ones are tested
     * against.
     */
    T decodeResolving(byte[] value) throws RecordDecodingException {
        try {
            return decoder.decode(value);
        } catch (MissingSchemaException e) {
            throw new RecordDecodingException(
                    RecordDecodingException.Reason.UNKNOWN_SCHEMA,
                    "no known "
                            + readerSchema.getName()
                            + " schema has fingerprint "
                            + fingerprintHex(value)
                            + " (written by a newer, unreleased schema version or another record"
                            + " type?)",
                    e);
        } catch (BadHeaderException e) {
            throw new RecordDecodingException(
                    RecordDecodingException.Reason.NOT_SINGLE_OBJECT,
                    "not Avro single-object encoding: " + e.getMessage(),
                    e);
        } catch (IOException | AvroRuntimeException e) {
            throw new RecordDecodingException(
                    RecordDecodingException.Reason.MALFORMED,
                    "malformed " + readerSchema.getName() + " body: " + e,
                    e);
        } catch (RuntimeException e) {
            // Corrupt bodies surface as assorted runtime exceptions (negative lengths, index out
            // of bounds, ...): all mean the same thing to the caller.
            throw new RecordDecodingException(
                    RecordDecodingException.Reason.MALFORMED,
                    "malformed " + readerSchema.getName() + " body: " + e,
                    e);
        }
    }

    /** CRC-64-AVRO fingerprint of a schema, as written in a single-object header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static String fingerprintHex(byte[] value) {
        if (value.length < 10) {
            return "(truncated header)";
        }
        return HexFormat.of().formatHex(value, 2, 10);
    }

    private static List<Schema> loadHistory(String historyRoot, String recordName) {
        String dir = historyRoot + recordName + "/";
        ClassLoader loader = AvroCodec.class.getClassLoader();
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(dir + "index.txt")) {
            if (index == null) {
                return schemas;
            }
            String listing = new String(index.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : listing.split("\n")) {
                String file = line.strip();
                if (file.isEmpty() || file.startsWith("#")) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(dir + file)) {
                    if (in == null) {
                        throw new IllegalStateException(dir + "index.txt names missing " + file);
                    }
                    schemas.add(new Schema.Parser().parse(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + dir, e);
        }
        return schemas;
    }

    private static void capIfUnset(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
