package io.citypulse.tools.simulate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Maps Avro records to plain JSON and back, driven by the schema: every field by its Avro name in
 * schema order, null as null, enums as their symbol, {@code timestamp-millis} as epoch
 * milliseconds, nested records as objects.
 *
 * <p>This is not Avro's own JSON encoding (which wraps union values in {@code {"string": ...}}
 * objects); it is the flat form that a person, {@code jq} or a Python check reads directly. Driven
 * by the schema, it picks up fields added to the contracts without code changes. Only the types the
 * CityPulse contracts use are supported: strings, enums, booleans, numbers, nullable unions and
 * records.
 */
final class AvroJson {

    private static final Map<Schema, Schema> NON_NULL_BRANCH = new ConcurrentHashMap<>();

    private AvroJson() {}

    /** Writes the record's fields (not the enclosing braces) in schema order. */
    static void writeFields(JsonGenerator json, IndexedRecord record) throws IOException {
        for (Schema.Field field : record.getSchema().getFields()) {
            json.writeFieldName(field.name());
            writeValue(json, field.schema(), record.get(field.pos()));
        }
    }

    private static void writeValue(JsonGenerator json, Schema schema, Object value)
            throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (schema.getType()) {
            case UNION -> writeValue(json, nonNullBranch(schema), value);
            case STRING, ENUM -> json.writeString(value.toString());
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case INT -> json.writeNumber((Integer) value);
            case LONG ->
                    json.writeNumber(
                            value instanceof Instant instant
                                    ? instant.toEpochMilli()
                                    : (Long) value);
            case FLOAT -> json.writeNumber((Float) value);
            case DOUBLE -> json.writeNumber((Double) value);
            case RECORD -> {
                json.writeStartObject();
                writeFields(json, (IndexedRecord) value);
                json.writeEndObject();
            }
            default ->
                    throw new IllegalArgumentException(
                            "unsupported Avro type in JSON lines: " + schema.getType());
        }
    }

    /**
     * Fills {@code record} from a JSON object written by {@link #writeFields}. Fields missing from
     * the JSON take their schema default (a line written before a field existed); unknown JSON
     * fields are ignored (a line written after).
     */
    static <R extends IndexedRecord> R readFields(JsonNode json, R record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            JsonNode node = json.get(field.name());
            Object value;
            if (node == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException("missing field " + field.name());
                }
                value = SpecificData.get().getDefaultValue(field);
            } else {
                value = readValue(node, field.schema(), field.name());
            }
            record.put(field.pos(), value);
        }
        return record;
    }

    private static Object readValue(JsonNode node, Schema schema, String name) {
        if (node.isNull()) {
            if (schema.getType() == Schema.Type.UNION && schema.isNullable()) {
                return null;
            }
            throw new IllegalArgumentException("field " + name + " is null but not nullable");
        }
        return switch (schema.getType()) {
            case UNION -> readValue(node, nonNullBranch(schema), name);
            case STRING -> requireText(node, name);
            case ENUM ->
                    SpecificData.get().createEnum(requireEnumSymbol(node, schema, name), schema);
            case BOOLEAN -> {
                require(node.isBoolean(), name, "a boolean");
                yield node.booleanValue();
            }
            case INT -> {
                require(node.canConvertToInt() && node.isIntegralNumber(), name, "an int");
                yield node.intValue();
            }
            case LONG -> {
                require(node.isIntegralNumber() && node.canConvertToLong(), name, "a long");
                yield schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? Instant.ofEpochMilli(node.longValue())
                        : node.longValue();
            }
            case FLOAT -> {
                require(node.isNumber(), name, "a number");
                yield node.floatValue();
            }
            case DOUBLE -> {
                require(node.isNumber(), name, "a number");
                yield node.doubleValue();
            }
            case RECORD -> {
                require(node.isObject(), name, "an object");
                yield readFields(node, (IndexedRecord) SpecificData.get().newRecord(null, schema));
            }
            default ->
                    throw new IllegalArgumentException(
                            "unsupported Avro type in JSON lines: " + schema.getType());
        };
    }

    /** The T of a [null, T] union; cached because it is needed for every nullable field. */
    private static Schema nonNullBranch(Schema union) {
        return NON_NULL_BRANCH.computeIfAbsent(union, AvroJson::findNonNullBranch);
    }

    private static Schema findNonNullBranch(Schema union) {
        List<Schema> branches =
                union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() != 1) {
            throw new IllegalArgumentException("only [null, T] unions are supported: " + union);
        }
        return branches.get(0);
    }

    private static String requireText(JsonNode node, String name) {
        require(node.isTextual(), name, "a string");
        return node.textValue();
    }

    private static String requireEnumSymbol(JsonNode node, Schema schema, String name) {
        String symbol = requireText(node, name);
        if (!schema.hasEnumSymbol(symbol)) {
            throw new IllegalArgumentException(
                    "field " + name + ": " + symbol + " is not a symbol of " + schema.getName());
        }
        return symbol;
    }

    private static void require(boolean condition, String name, String what) {
        if (!condition) {
            throw new IllegalArgumentException("field " + name + " is not " + what);
        }
    }
}
