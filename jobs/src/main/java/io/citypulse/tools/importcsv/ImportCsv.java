package io.citypulse.tools.importcsv;

import io.citypulse.tools.simulate.EventSink;
import io.citypulse.tools.simulate.SimulationException;
import io.citypulse.tools.simulate.TeeSink;
import io.citypulse.tools.simulate.UsageException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code scripts/import-csv}: imports a city's CSV export as ticket or lead events. Parses the
 * command line, loads the mapping, checks the CSV header, opens the outputs (the simulator's Kafka
 * and JSON-lines sinks), runs the {@link Importer} and prints the rejected rows and a summary to
 * standard error.
 *
 * <p>Exit codes: 0 done (rows may have been rejected: the summary counts them), 1 the import failed
 * (Kafka, I/O, or {@code --strict} met a bad row), 2 the import could not start (command line,
 * missing file, bad mapping, mapping and header disagree).
 */
public final class ImportCsv {

    /** Set to {@code 1} by scripts/import-csv when standard error is a terminal. */
    static final String STDERR_TTY_ENV = "CITYPULSE_STDERR_TTY";

    private static final int REJECTIONS_SHOWN = 20;

    private ImportCsv() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The whole command, with its streams and environment passed in (for tests). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (ImportOptions.wantsHelp(args)) {
            out.print(ImportOptions.USAGE);
            out.flush();
            return 0;
        }
        ImportOptions options;
        Mapping mapping;
        try {
            options = ImportOptions.parse(args, env);
            mapping = MappingLoader.load(options.mapping());
            if (options.kind() != null && options.kind() != mapping.kind()) {
                throw new UsageException(
                        "--kind "
                                + options.kind().label()
                                + ", but "
                                + options.mapping()
                                + " maps "
                                + mapping.kind().label());
            }
            if (!Files.isRegularFile(options.csv())) {
                throw new UsageException("--csv " + options.csv() + ": no such file");
            }
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Run scripts/import-csv --help for the options.");
            return 2;
        } catch (MappingException e) {
            err.println("error: bad mapping " + e.getMessage());
            return 2;
        }

        try {
            Importer.checkHeader(mapping, options.csv());
        } catch (MappingException e) {
            err.println("error: mapping and CSV disagree: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }

        err.println("import-csv: " + describe(options, mapping));
        ImportReport report = new ImportReport(REJECTIONS_SHOWN);
        long began = System.nanoTime();
        try (RejectsFile rejects =
                        options.rejects() == null ? null : new RejectsFile(options.rejects());
                EventSink sink = sinks(options, out)) {
            Consumer<Rejection> log = rejects == null ? r -> {} : rejects;
            Progress progress = progress(options, env, err);
            new Importer(mapping, options.order(), options.strict(), options.limit(), report, log)
                    .run(options.csv(), sink, progress);
        } catch (Importer.StrictStop e) {
            err.println("error: " + options.csv() + " " + e.rejection());
            err.println(
                    "stopped at the first bad row (--strict) after "
                            + report.rowsRead()
                            + " rows; "
                            + (options.order() == Importer.Order.TIME
                                    ? "nothing was written."
                                    : report.eventsWritten() + " events had been written."));
            return 1;
        } catch (SimulationException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (MappingException e) {
            err.println("error: mapping and CSV disagree: " + e.getMessage());
            return 2;
        }
        err.print(report.rejectionLines());
        err.print(
                report.summary(Duration.ofNanos(System.nanoTime() - began), mapping.time().zone()));
        err.flush();
        return 0;
    }

    private static Progress progress(
            ImportOptions options, Map<String, String> env, PrintStream err) throws IOException {
        boolean enabled =
                options.progress() != null
                        ? options.progress()
                        : "1".equals(env.get(STDERR_TTY_ENV));
        return enabled
                ? new Progress(err, System::nanoTime, Files.size(options.csv()), true)
                : Progress.disabled();
    }

    /** Kafka first: a broker that is down should not leave an empty JSON-lines file behind. */
    private static EventSink sinks(ImportOptions options, PrintStream out) throws IOException {
        List<EventSink> sinks = new ArrayList<>();
        try {
            if (options.kafka()) {
                sinks.add(
                        SimulatorSinks.kafka(
                                options.bootstrap(), options.ticketsTopic(), options.leadsTopic()));
            }
            if (options.jsonl() != null) {
                sinks.add(
                        options.jsonl().equals(ImportOptions.STDOUT)
                                ? SimulatorSinks.jsonLines(new NonClosing(out))
                                : SimulatorSinks.jsonLines(Path.of(options.jsonl())));
            }
        } catch (IOException | RuntimeException e) {
            try {
                new TeeSink(sinks).close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new TeeSink(sinks);
    }

    private static String describe(ImportOptions options, Mapping mapping) {
        List<String> outputs = new ArrayList<>();
        if (options.kafka()) {
            outputs.add(
                    "Kafka "
                            + options.bootstrap()
                            + " (topic "
                            + (mapping.kind() == Kind.TICKETS
                                    ? options.ticketsTopic()
                                    : options.leadsTopic())
                            + ")");
        }
        if (options.jsonl() != null) {
            outputs.add(
                    options.jsonl().equals(ImportOptions.STDOUT)
                            ? "standard output"
                            : options.jsonl());
        }
        return options.csv()
                + " as "
                + mapping.kind().label()
                + " of "
                + mapping.source()
                + " ("
                + mapping.time().zone()
                + ") -> "
                + (outputs.isEmpty() ? "nowhere (counting only)" : String.join(" and ", outputs))
                + ", in "
                + (options.order() == Importer.Order.TIME ? "event-time" : "file")
                + " order";
    }

    /** Standard output must stay open after the JSON-lines sink closes (tests reuse it). */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(PrintStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
