package io.citypulse.tools.importcsv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: fields separated by a delimiter, optionally enclosed in double quotes, a
 * doubled quote inside quotes standing for one, delimiters and line breaks allowed inside quotes;
 * records end at LF, CRLF or a lone CR. A byte-order mark at the start is dropped and completely
 * empty lines are skipped.
 *
 * <p>It is lenient where exports are commonly sloppy and says so where data would be lost: a quote
 * inside an unquoted field is kept as a character; text after a closing quote is kept but the
 * record is marked {@link #BAD_QUOTING}; a quote still open at the end of the file marks the record
 * {@link #UNTERMINATED_QUOTE} (it swallowed the rest of the file, so its line number is where to
 * look). Marked records are returned, not thrown, so the importer can report and skip them.
 *
 * <p>Our own parser rather than a library: the format is small, and we need the starting line of
 * every record for the rejection report.
 */
final class CsvReader implements Closeable {

    static final String UNTERMINATED_QUOTE = "unterminated-quote";
    static final String BAD_QUOTING = "bad-quoting";

    private static final int EOF = -1;
    private static final char QUOTE = '"';

    private final Reader in;
    private final char delimiter;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long line = 1;
    private boolean started;

    CsvReader(Reader in, char delimiter) {
        if (delimiter == QUOTE || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("invalid delimiter " + delimiter);
        }
        this.in = in;
        this.delimiter = delimiter;
    }

    /** The next record, or null at the end of the input. */
    CsvRecord next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        while (true) {
            if (peek() == EOF) {
                return null;
            }
            long start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            String problem = null;
            boolean empty = true;
            boolean fieldStart = true;
            while (true) {
                int c = read();
                if (c == QUOTE && fieldStart) {
                    empty = false;
                    fieldStart = false;
                    String quoted = readQuoted(field);
                    if (quoted != null) {
                        problem = quoted;
                        break;
                    }
                    // After the closing quote only a delimiter or the end of the record may come.
                    int after = peek();
                    if (after != delimiter && after != '\n' && after != '\r' && after != EOF) {
                        problem = BAD_QUOTING;
                    }
                    continue;
                }
                if (c == delimiter) {
                    empty = false;
                    fieldStart = true;
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r' || c == EOF) {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    if (c != EOF) {
                        line++;
                    }
                    break;
                } else {
                    empty = false;
                    fieldStart = false;
                    field.append((char) c);
                }
            }
            if (empty && problem == null) {
                continue; // a blank line
            }
            fields.add(field.toString());
            return new CsvRecord(start, fields, problem);
        }
    }

    /**
     * Reads a quoted field's content after its opening quote, up to and including the closing
     * quote; returns null, or {@link #UNTERMINATED_QUOTE} at the end of the input.
     */
    private String readQuoted(StringBuilder field) throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                return UNTERMINATED_QUOTE;
            }
            if (c == QUOTE) {
                if (peek() == QUOTE) {
                    read();
                    field.append(QUOTE);
                    continue;
                }
                return null;
            }
            if (c == '\n' || (c == '\r' && peek() != '\n')) {
                line++;
            }
            field.append((char) c);
        }
    }

    /** The physical line the reader is on (1-based). */
    long line() {
        return line;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
