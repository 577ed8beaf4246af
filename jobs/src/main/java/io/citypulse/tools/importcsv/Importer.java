package io.citypulse.tools.importcsv;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.tools.simulate.EventSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads one CSV export and writes its events: header checked against the mapping, each row
 * converted or rejected (and counted), duplicates of an imported id rejected, then the events
 * written.
 *
 * <p>Order: by default ({@link Order#TIME}) every event of the file is held in memory and written
 * sorted by event time, ties in file order. Exports are sorted by creation at best, and a row's
 * later events (closed days after) belong far ahead in time; the jobs cope with disorder through
 * watermarks, but a stream in event-time order is kinder to them (nothing late, no wide
 * out-of-orderness needed). Per-ticket order holds either way: a row's events come in lifecycle
 * order, with non-decreasing times. A file too big for memory can be written row by row with {@link
 * Order#FILE} (each row's events together, in lifecycle order).
 *
 * <p>The first row with a given id is imported; later rows with the same id are rejected as
 * duplicates (only imported rows count: a broken first copy does not block a good second one).
 */
final class Importer {

    /** The order events are written in. */
    enum Order {
        /** All events of the file sorted by event time (held in memory). */
        TIME,
        /** Row by row, as read; each row's events in lifecycle order. */
        FILE
    }

    /** The import stopped at the first rejected row ({@code --strict}). */
    static final class StrictStop extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Rejection rejection;

        StrictStop(Rejection rejection) {
            super(rejection.toString());
            this.rejection = rejection;
        }

        Rejection rejection() {
            return rejection;
        }
    }

    private final Mapping mapping;
    private final Order order;
    private final boolean strict;
    private final long limit;
    private final ImportReport report;
    private final Consumer<Rejection> rejectionLog;

    /**
     * @param limit the most data rows to read, or {@link Long#MAX_VALUE}
     * @param rejectionLog sees every rejection as it happens (e.g. the {@code --rejects} file)
     */
    Importer(
            Mapping mapping,
            Order order,
            boolean strict,
            long limit,
            ImportReport report,
            Consumer<Rejection> rejectionLog) {
        this.mapping = mapping;
        this.order = order;
        this.strict = strict;
        this.limit = limit;
        this.report = report;
        this.rejectionLog = rejectionLog;
    }

    /**
     * Imports {@code csv} into {@code sink} (not closed).
     *
     * @throws MappingException if a column the mapping names is not in the header
     * @throws StrictStop at the first rejected row when strict; nothing was written then, unless
     *     the order is {@link Order#FILE}
     * @throws IOException if the file cannot be read or decoded, or the sink fails
     */
    void run(Path csv, EventSink sink, Progress progress)
            throws IOException, MappingException, StrictStop {
        try (CountingInputStream bytes = new CountingInputStream(Files.newInputStream(csv));
                CsvReader reader = reader(mapping, bytes)) {
            run(csv.toString(), reader, bytes, sink, progress);
        }
    }

    /**
     * Checks the file's header against the mapping without importing anything, so a wrong column
     * name fails before any output is opened.
     */
    static void checkHeader(Mapping mapping, Path csv) throws IOException, MappingException {
        try (CsvReader reader = reader(mapping, Files.newInputStream(csv))) {
            columns(mapping, csv.toString(), header(mapping, csv.toString(), reader));
        }
    }

    private static CsvReader reader(Mapping mapping, InputStream bytes) {
        return new CsvReader(
                new InputStreamReader(
                        bytes,
                        mapping.encoding()
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)),
                mapping.delimiter());
    }

    private static CsvRecord header(Mapping mapping, String name, CsvReader reader)
            throws IOException {
        CsvRecord header;
        try {
            header = reader.next();
        } catch (CharacterCodingException e) {
            throw notDecodable(mapping, name, 1, e);
        }
        if (header == null) {
            throw new IOException(name + " is empty: no header line");
        }
        if (header.problem() != null) {
            throw new IOException(
                    name + ": the header line is malformed (" + header.problem() + ")");
        }
        return header;
    }

    private void run(
            String name,
            CsvReader reader,
            CountingInputStream bytes,
            EventSink sink,
            Progress progress)
            throws IOException, MappingException, StrictStop {
        CsvRecord header = header(mapping, name, reader);
        Map<String, Integer> columns = columns(mapping, name, header);
        RowConverter converter = RowConverter.forMapping(mapping);
        Set<String> imported = new HashSet<>();
        List<SpecificRecord> pending = new ArrayList<>();
        int width = header.fields().size();
        while (report.rowsRead() < limit) {
            CsvRecord record;
            try {
                record = reader.next();
            } catch (CharacterCodingException e) {
                throw notDecodable(mapping, name, reader.line(), e);
            }
            if (record == null) {
                break;
            }
            report.rowRead();
            progress.reading(report.rowsRead(), bytes.count());
            try {
                RowConverter.Converted row = convert(record, width, columns, converter);
                if (!imported.add(row.id())) {
                    throw new RowRejected(
                            "duplicate-id",
                            mapping.kind().idField()
                                    + " "
                                    + row.id()
                                    + " was imported from an earlier row");
                }
                report.imported(row);
                if (order == Order.FILE) {
                    for (SpecificRecord event : row.events()) {
                        write(event, sink);
                    }
                } else {
                    pending.addAll(row.events());
                }
            } catch (RowRejected e) {
                Rejection rejection = new Rejection(record.line(), e.reason(), e.detail());
                report.rejected(rejection);
                rejectionLog.accept(rejection);
                if (strict) {
                    progress.done();
                    throw new StrictStop(rejection);
                }
            }
        }
        progress.reading(report.rowsRead(), bytes.count());
        if (order == Order.TIME) {
            // List.sort is stable: equal times keep file order, so a row's events stay in
            // lifecycle order.
            pending.sort(Comparator.comparingLong(Importer::eventTime));
            long written = 0;
            for (SpecificRecord event : pending) {
                write(event, sink);
                progress.writing(++written, pending.size());
            }
        }
        progress.done();
    }

    private RowConverter.Converted convert(
            CsvRecord record, int width, Map<String, Integer> columns, RowConverter converter)
            throws RowRejected {
        if (record.problem() != null) {
            throw new RowRejected(
                    record.problem(),
                    record.problem().equals(CsvReader.UNTERMINATED_QUOTE)
                            ? "a quoted field opened here is never closed (the rest of the file"
                                    + " was read into it)"
                            : "text after the closing quote of a field");
        }
        if (record.fields().size() != width) {
            throw new RowRejected(
                    "wrong-column-count",
                    record.fields().size() + " columns, the header has " + width);
        }
        return converter.convert(new Row(record.line(), record.fields(), columns));
    }

    /** Header name to index, checked against every column the mapping reads. */
    private static Map<String, Integer> columns(Mapping mapping, String name, CsvRecord header)
            throws MappingException {
        Map<String, Integer> columns = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        List<String> names = header.fields();
        for (int i = 0; i < names.size(); i++) {
            if (columns.putIfAbsent(names.get(i).strip(), i) != null) {
                repeated.add(names.get(i).strip());
            }
        }
        for (Map.Entry<String, String> entry : mapping.columnsByKey().entrySet()) {
            String column = entry.getValue();
            if (!columns.containsKey(column)) {
                throw new MappingException(
                        mapping.file(),
                        entry.getKey(),
                        "no column '"
                                + column
                                + "' in the header of "
                                + name
                                + " (it has: "
                                + String.join(", ", names.stream().map(String::strip).toList())
                                + ")");
            }
            if (repeated.contains(column)) {
                throw new MappingException(
                        mapping.file(),
                        entry.getKey(),
                        "column '" + column + "' appears more than once in the header of " + name);
            }
        }
        return columns;
    }

    private void write(SpecificRecord event, EventSink sink) throws IOException {
        if (event instanceof TicketEvent ticket) {
            sink.ticket(ticket);
        } else {
            sink.lead((LeadEvent) event);
        }
        report.written(event);
    }

    private static long eventTime(SpecificRecord event) {
        return event instanceof TicketEvent ticket
                ? ticket.getEventTime().toEpochMilli()
                : ((LeadEvent) event).getEventTime().toEpochMilli();
    }

    private static IOException notDecodable(
            Mapping mapping, String name, long line, CharacterCodingException e) {
        return new IOException(
                name
                        + " is not valid "
                        + mapping.encoding().name()
                        + " (near line "
                        + line
                        + "): set csv.encoding in the mapping, e.g. windows-1252",
                e);
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
