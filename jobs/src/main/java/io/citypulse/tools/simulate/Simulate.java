package io.citypulse.tools.simulate;

import io.citypulse.catalogue.Catalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code scripts/simulate}: the synthetic city. Parses the command line, builds the sinks (Kafka
 * and/or JSON lines), runs the {@link Simulator} and prints a summary to standard error.
 *
 * <p>Exit codes: 0 done, 1 the run failed (Kafka unreachable, file not writable), 2 bad command
 * line.
 */
public final class Simulate {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private Simulate() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * The whole command, with its streams and environment passed in, so tests (and other tools) can
     * run exactly what {@code scripts/simulate} runs in-process.
     *
     * @return the exit code: 0 done, 1 the run failed, 2 bad command line
     */
    public static int run(
            String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (SimulateConfig.wantsHelp(args)) {
            out.print(SimulateConfig.USAGE);
            out.flush();
            return 0;
        }
        SimulateConfig config;
        try {
            config = SimulateConfig.parse(args, env);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Run scripts/simulate --help for the options.");
            return 2;
        }
        try {
            err.println("simulate: " + describe(config));
            long began = System.nanoTime();
            EventCounts counts = new EventCounts();
            try (EventSink sink = sinks(config, out, counts)) {
                simulate(config, sink, progressPrinter(config, counts, err));
            }
            err.print(counts.summary(Duration.ofNanos(System.nanoTime() - began)));
            return 0;
        } catch (SimulationException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write " + config.jsonl() + ": " + e);
            return 1;
        }
    }

    /**
     * Runs the simulation a configuration describes into {@code sink} (not closed): the entry point
     * for in-process use, e.g. a test that needs exactly what {@code scripts/simulate} writes.
     */
    public static void simulate(SimulateConfig config, EventSink sink) throws IOException {
        simulate(config, sink, Simulator.Progress.NONE);
    }

    private static void simulate(SimulateConfig config, EventSink sink, Simulator.Progress progress)
            throws IOException {
        Simulator simulator =
                new Simulator(
                        config.seed(), CityModel.shenzhen(), Catalogue.load(), config.settings());
        simulator.run(config.start().toEpochMilli(), config.end().toEpochMilli(), sink, progress);
    }

    private static EventSink sinks(SimulateConfig config, PrintStream out, EventCounts counts)
            throws IOException {
        List<EventSink> sinks = new ArrayList<>();
        sinks.add(counts);
        try {
            // Kafka first: a broker that is down should not leave an empty JSON-lines file behind.
            if (config.kafka()) {
                sinks.add(
                        KafkaEventSink.connect(
                                config.bootstrap(),
                                config.ticketsTopic(),
                                config.leadsTopic(),
                                KafkaEventSink.DEFAULT_MAX_BLOCK));
            }
            if (config.jsonl() != null) {
                sinks.add(
                        config.jsonl().equals(SimulateConfig.STDOUT)
                                ? new JsonLinesSink(out)
                                : JsonLinesSink.toFile(Path.of(config.jsonl())));
            }
        } catch (IOException | RuntimeException e) {
            try {
                new TeeSink(sinks).close(); // release what was opened before the failure
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new TeeSink(sinks);
    }

    private static String describe(SimulateConfig config) {
        DateTimeFormatter format = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        List<String> outputs = new ArrayList<>();
        if (config.kafka()) {
            outputs.add(
                    "Kafka "
                            + config.bootstrap()
                            + " (topics "
                            + config.ticketsTopic()
                            + ", "
                            + config.leadsTopic()
                            + ")");
        }
        if (config.jsonl() != null) {
            outputs.add(
                    config.jsonl().equals(SimulateConfig.STDOUT)
                            ? "standard output"
                            : config.jsonl());
        }
        return String.format(
                Locale.ROOT,
                "Shenzhen %s .. %s, seed %d, %s tickets/h, %s leads/day -> %s",
                format.format(ZonedDateTime.ofInstant(config.start(), config.zone())),
                format.format(ZonedDateTime.ofInstant(config.end(), config.zone())),
                config.seed(),
                stripZeros(config.ticketsPerHour()),
                stripZeros(config.leadsPerDay()),
                outputs.isEmpty() ? "nowhere (counting only)" : String.join(" and ", outputs));
    }

    private static String stripZeros(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Prints where the simulation has got to, at most every {@link #PROGRESS_EVERY}. */
    private static Simulator.Progress progressPrinter(
            SimulateConfig config, EventCounts counts, PrintStream err) {
        long[] nextReport = {System.nanoTime() + PROGRESS_EVERY.toNanos()};
        return simulatedUpToMs -> {
            long now = System.nanoTime();
            if (now >= nextReport[0]) {
                nextReport[0] = now + PROGRESS_EVERY.toNanos();
                err.printf(
                        "simulate: up to %s, %d events%n",
                        ZonedDateTime.ofInstant(
                                        Instant.ofEpochMilli(simulatedUpToMs), config.zone())
                                .toLocalDateTime(),
                        counts.total());
            }
        };
    }
}
