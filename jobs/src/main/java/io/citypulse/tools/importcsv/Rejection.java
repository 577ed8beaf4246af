package io.citypulse.tools.importcsv;

/**
 * A skipped row.
 *
 * @param line the line of the CSV file the row starts on (the header is line 1)
 * @param reason short stable code, counted in the summary (e.g. {@code unparseable-time})
 * @param detail what is wrong with this row
 */
record Rejection(long line, String reason, String detail) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason + ": " + detail;
    }
}
