package io.citypulse.tools.importcsv;

import java.util.List;
import java.util.Locale;

/**
 * What an export holds, and so which fields and times its mapping names and which topic its events
 * go to. Output fields are named after the Avro fields they fill; times after the lifecycle steps
 * they date.
 */
enum Kind {
    TICKETS(
            "tickets",
            List.of(
                    FieldSpec.required("ticketId"),
                    FieldSpec.required("channel"),
                    FieldSpec.required("categoryCode"),
                    FieldSpec.required("categoryMajor"),
                    FieldSpec.required("district"),
                    FieldSpec.optional("street"),
                    FieldSpec.optional("agency"),
                    FieldSpec.optional("urgency", FieldSpec.ValueType.URGENCY),
                    FieldSpec.optional("expedited", FieldSpec.ValueType.BOOLEAN),
                    FieldSpec.optional("sourceLeadId")),
            List.of("created", "dispatched", "resolved", "closed", "due")),
    LEADS(
            "leads",
            List.of(
                    FieldSpec.required("leadId"),
                    FieldSpec.required("platform"),
                    FieldSpec.required("categoryCode"),
                    FieldSpec.required("categoryMajor"),
                    FieldSpec.optional("district"),
                    FieldSpec.optional("contentFingerprint"),
                    FieldSpec.optional("classifierConfidence", FieldSpec.ValueType.CONFIDENCE),
                    FieldSpec.optional("engagement", FieldSpec.ValueType.COUNT),
                    FieldSpec.optional("ticketId"),
                    FieldSpec.optional("outcome", FieldSpec.ValueType.OUTCOME)),
            List.of("captured", "verified", "converted"));

    private final String label;
    private final List<FieldSpec> fields;
    private final List<String> times;

    Kind(String label, List<FieldSpec> fields, List<String> times) {
        this.label = label;
        this.fields = fields;
        this.times = times;
    }

    /** The name used in mappings and on the command line: {@code tickets} or {@code leads}. */
    String label() {
        return label;
    }

    /** The output fields a mapping of this kind may name, in the order they are resolved. */
    List<FieldSpec> fields() {
        return fields;
    }

    /** The time columns a mapping may name; the first is required (the row's first event). */
    List<String> times() {
        return times;
    }

    /** The field that identifies a row: {@code ticketId} or {@code leadId}. */
    String idField() {
        return fields.get(0).name();
    }

    FieldSpec field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    static Kind of(String label) {
        for (Kind kind : values()) {
            if (kind.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not a kind: use tickets or leads");
    }
}
