package io.citypulse.tools.importcsv;

import java.util.Locale;

/**
 * An output field a mapping can fill: its name, whether a row without a value is rejected, and the
 * kind of value it takes (checked when the mapping is loaded for the values the mapping itself
 * writes, and per row for values taken from the CSV).
 */
record FieldSpec(String name, boolean required, ValueType type) {

    static FieldSpec required(String name) {
        return new FieldSpec(name, true, ValueType.TEXT);
    }

    static FieldSpec optional(String name) {
        return new FieldSpec(name, false, ValueType.TEXT);
    }

    static FieldSpec optional(String name, ValueType type) {
        return new FieldSpec(name, false, type);
    }

    /** The values a field accepts, and their one canonical spelling. */
    enum ValueType {
        TEXT("any text"),
        URGENCY("GENERAL or EMERGENCY"),
        BOOLEAN("true or false"),
        OUTCOME("VALID, INVALID or PENDING"),
        CONFIDENCE("a number from 0 to 1"),
        COUNT("a whole number >= 0");

        private final String expected;

        ValueType(String expected) {
            this.expected = expected;
        }

        String expected() {
            return expected;
        }

        /**
         * The canonical form of {@code value}.
         *
         * @throws IllegalArgumentException if the value is not of this type
         */
        String canonical(String value) {
            String v = value.strip();
            String upper = v.toUpperCase(Locale.ROOT);
            boolean ok =
                    switch (this) {
                        case TEXT -> true;
                        case URGENCY -> upper.equals("GENERAL") || upper.equals("EMERGENCY");
                        case OUTCOME ->
                                upper.equals("VALID")
                                        || upper.equals("INVALID")
                                        || upper.equals("PENDING");
                        case BOOLEAN -> upper.equals("TRUE") || upper.equals("FALSE");
                        case CONFIDENCE -> isConfidence(v);
                        case COUNT -> v.matches("[0-9]{1,18}");
                    };
            if (!ok) {
                throw new IllegalArgumentException("'" + value + "' is not " + expected);
            }
            return switch (this) {
                case URGENCY, OUTCOME -> upper;
                case BOOLEAN -> upper.toLowerCase(Locale.ROOT);
                default -> v;
            };
        }

        private static boolean isConfidence(String v) {
            try {
                float f = Float.parseFloat(v);
                return f >= 0 && f <= 1;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
