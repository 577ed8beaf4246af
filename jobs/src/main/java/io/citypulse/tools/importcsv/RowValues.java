package io.citypulse.tools.importcsv;

import java.time.DateTimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The output values of one row, before they become events: the id, every mapped field through its
 * rule, and every mapped time as epoch milliseconds. All checks that do not depend on the kind of
 * events happen here, in a fixed order so a row with several problems is always reported for the
 * same one: id present, times parseable, lifecycle times in order, fields present and valid.
 */
final class RowValues {

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, Long> times = new HashMap<>();
    private int dstGaps;
    private int dstOverlaps;

    private RowValues() {}

    /**
     * Reads a row.
     *
     * @param lifecycle the steps whose times must not decrease, in lifecycle order (e.g. created,
     *     dispatched, resolved, closed: a deadline such as {@code due} is not one of them)
     */
    static RowValues read(Mapping mapping, Row row, List<String> lifecycle) throws RowRejected {
        RowValues out = new RowValues();
        Kind kind = mapping.kind();
        String idField = kind.idField();
        FieldRule idRule = mapping.fields().get(idField);
        String id = out.resolve(idRule, row);
        if (id == null || id.isBlank()) {
            throw new RowRejected(
                    "missing-id",
                    idRule.column() == null
                            ? "no " + idField
                            : "column " + idRule.column() + " is empty");
        }
        out.values.put(idField, id);

        for (Map.Entry<String, String> time : mapping.times().entrySet()) {
            String text = row.cell(time.getValue());
            if (text.isEmpty()) {
                continue;
            }
            TimeParser.Parsed parsed;
            try {
                parsed = mapping.time().parse(text);
            } catch (DateTimeException e) {
                throw new RowRejected("unparseable-time", time.getValue() + ": " + e.getMessage());
            }
            out.times.put(time.getKey(), parsed.epochMs());
            switch (parsed.dst()) {
                case GAP -> out.dstGaps++;
                case OVERLAP -> out.dstOverlaps++;
                default -> {}
            }
        }
        String first = kind.times().get(0);
        if (!out.times.containsKey(first)) {
            throw new RowRejected(
                    "missing-" + first + "-time",
                    "column " + mapping.times().get(first) + " is empty");
        }
        String previous = null;
        for (String step : lifecycle) {
            Long t = out.times.get(step);
            if (t == null) {
                continue;
            }
            if (previous != null && t < out.times.get(previous)) {
                throw new RowRejected(
                        step + "-before-" + previous,
                        idField
                                + " "
                                + id
                                + ": "
                                + mapping.times().get(step)
                                + " "
                                + row.cell(mapping.times().get(step))
                                + " is before "
                                + mapping.times().get(previous)
                                + " "
                                + row.cell(mapping.times().get(previous)));
            }
            previous = step;
        }

        for (FieldSpec spec : kind.fields()) {
            FieldRule rule = mapping.fields().get(spec.name());
            if (rule == null || spec.name().equals(idField)) {
                continue;
            }
            String input = out.input(rule, row);
            FieldRule.Result result = rule.apply(input);
            String where =
                    rule.column() != null
                            ? " (column " + rule.column() + ")"
                            : rule.sameAs() != null ? " (from " + rule.sameAs() + ")" : "";
            if (result.unmapped()) {
                throw new RowRejected(
                        "unmapped-" + spec.name(),
                        "'"
                                + input
                                + "'"
                                + where
                                + " is not in the map of "
                                + spec.name()
                                + ", which has no default");
            }
            String value = result.value();
            if (value == null || value.isEmpty()) {
                if (spec.required()) {
                    throw new RowRejected("missing-" + spec.name(), "no value" + where);
                }
                continue;
            }
            try {
                out.values.put(spec.name(), spec.type().canonical(value));
            } catch (IllegalArgumentException e) {
                throw new RowRejected("bad-" + spec.name(), e.getMessage() + where);
            }
        }
        return out;
    }

    /** A rule's value for this row, or null (also when unmapped: an id has no map). */
    private String resolve(FieldRule rule, Row row) {
        return rule.apply(input(rule, row)).value();
    }

    /** What a rule reads: its column's cell, the value of its sameAs field, or nothing. */
    private String input(FieldRule rule, Row row) {
        if (rule.column() != null) {
            return row.cell(rule.column());
        }
        return rule.sameAs() != null ? values.get(rule.sameAs()) : null;
    }

    /** The value of an output field, or null. */
    String get(String field) {
        return values.get(field);
    }

    /** The time of a lifecycle step in epoch milliseconds, or null when the row has none. */
    Long time(String step) {
        return times.get(step);
    }

    int dstGaps() {
        return dstGaps;
    }

    int dstOverlaps() {
        return dstOverlaps;
    }
}
