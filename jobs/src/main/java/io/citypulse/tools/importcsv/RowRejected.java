package io.citypulse.tools.importcsv;

/**
 * A row cannot be imported. Thrown for control flow inside the conversion of one row (no stack
 * trace: a file can have many bad rows).
 */
final class RowRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String detail;

    /**
     * @param reason short stable code counted in the summary, e.g. {@code closed-before-created}
     * @param detail what exactly is wrong in this row, for a person
     */
    RowRejected(String reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    String reason() {
        return reason;
    }

    String detail() {
        return detail;
    }
}
