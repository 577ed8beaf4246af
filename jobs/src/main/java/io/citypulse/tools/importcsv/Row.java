package io.citypulse.tools.importcsv;

import java.util.List;
import java.util.Map;

/** One data record with its cells addressable by header name. */
final class Row {

    private final long line;
    private final List<String> cells;
    private final Map<String, Integer> columns;

    /**
     * @param columns header name to cell index; every name the mapping reads is in it
     */
    Row(long line, List<String> cells, Map<String, Integer> columns) {
        this.line = line;
        this.cells = cells;
        this.columns = columns;
    }

    long line() {
        return line;
    }

    /** The cell of {@code column}, trimmed; empty if the column is unknown. */
    String cell(String column) {
        Integer index = columns.get(column);
        return index == null || index >= cells.size() ? "" : cells.get(index).strip();
    }
}
