package io.citypulse.tools.importcsv;

import java.util.List;

/**
 * One record of a CSV file.
 *
 * @param line physical line (1-based) the record starts on: what a person opening the file in an
 *     editor looks for, even when quoted fields span several lines
 * @param fields the fields, unquoted, not trimmed
 * @param problem null, or why the record is malformed ({@link CsvReader#UNTERMINATED_QUOTE}, {@link
 *     CsvReader#BAD_QUOTING}); its fields are then the reader's best effort
 */
record CsvRecord(long line, List<String> fields, String problem) {

    CsvRecord {
        fields = List.copyOf(fields);
    }
}
