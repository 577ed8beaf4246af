package io.citypulse.alerts.functions;

import io.citypulse.avro.AlertScope;

/**
 * The detector keys within one major category, as strings: {@code C} (the whole category), {@code
 * I<sep>code} (one item) and {@code D<sep>district} (the category in one district). A series id is
 * {@code T} (tickets) or {@code L} (leads) followed by the scope key. Sorted, a category's series
 * comes before its children, which is the order parents must be processed in.
 */
final class Scope {

    static final String CATEGORY = "C";
    static final char SEP = '\u001F';

    private Scope() {}

    static String item(String code) {
        return "I" + SEP + code;
    }

    static String district(String district) {
        return "D" + SEP + district;
    }

    static boolean isCategory(String scope) {
        return scope.equals(CATEGORY);
    }

    static AlertScope kind(String scope) {
        return switch (scope.charAt(0)) {
            case 'C' -> AlertScope.CATEGORY;
            case 'I' -> AlertScope.ITEM;
            default -> AlertScope.DISTRICT;
        };
    }

    /** The item code or district of a child scope, null for the category. */
    static String value(String scope) {
        return isCategory(scope) ? null : scope.substring(2);
    }

    /** Whether a (item, district) tuple of the category falls in this scope. */
    static boolean contains(String scope, String item, String district) {
        return switch (scope.charAt(0)) {
            case 'C' -> true;
            case 'I' -> scope.substring(2).equals(item);
            default -> scope.substring(2).equals(district);
        };
    }

    static String tickets(String scope) {
        return "T" + scope;
    }

    static String leads(String scope) {
        return "L" + scope;
    }

    static String scopeOf(String seriesId) {
        return seriesId.substring(1);
    }

    static String parentOf(String seriesId) {
        return seriesId.charAt(0) + CATEGORY;
    }
}
