package io.citypulse.tools.simulate;

import io.citypulse.catalogue.Catalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
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
 * and/or JSON lines) behind the optional fault injector and pacer, runs the {@link Simulator} with
 * its incidents, writes the ground truth and prints a summary to standard error.
 *
 * <pre>
 * Simulator -> [FaultInjector] -> [PacingSink] -> TeeSink(EventCounts, KafkaEventSink, JsonLinesSink)
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 the run failed (Kafka unreachable, file not writable), 2 bad command
 * line or incidents file.
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
     * @return the exit code: 0 done, 1 the run failed, 2 bad command line or incidents file
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
        Simulator simulator = simulator(config);
        List<Incident> incidents;
        try {
            incidents = incidents(config, simulator);
        } catch (NoSuchFileException e) {
            err.println("error: --incidents: no such file " + config.incidents());
            return 2;
        } catch (IOException e) {
            err.println("error: --incidents: cannot read " + config.incidents() + ": " + e);
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: --incidents: " + e.getMessage());
            return 2;
        }
        try {
            err.println("simulate: " + describe(config, incidents));
            long began = System.nanoTime();
            EventCounts counts = new EventCounts();
            Run result;
            try (EventSink sinks = sinks(config, out, counts)) {
                result =
                        run(
                                config,
                                simulator,
                                incidents,
                                sinks,
                                progressPrinter(config, counts, err));
            }
            if (config.truth() != null) {
                writeTruth(config, result);
            }
            err.print(counts.summary(Duration.ofNanos(System.nanoTime() - began)));
            for (IncidentOutcome o : result.outcomes()) {
                err.printf(
                        Locale.ROOT,
                        "incident %s: %s%s%s x%s, %d extra tickets (expected %.1f), %d extra leads%n",
                        o.incident().id(),
                        o.incident().categoryCode() != null
                                ? o.incident().categoryCode()
                                : o.incident().categoryMajor(),
                        o.incident().district() != null ? " in " + o.incident().district() : "",
                        o.incident().leadDriven() ? " (lead-driven)" : "",
                        stripZeros(o.incident().multiplier()),
                        o.actualExtraTickets(),
                        o.expectedExtraTickets(),
                        o.actualExtraLeads());
            }
            return 0;
        } catch (SimulationException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write output: " + e);
            return 1;
        }
    }

    /**
     * Runs the simulation a configuration describes (incidents, faults and pacing included) into
     * {@code sink} (not closed): the entry point for in-process use, e.g. a test that needs exactly
     * what {@code scripts/simulate} writes.
     */
    public static void simulate(SimulateConfig config, EventSink sink) throws IOException {
        Simulator simulator = simulator(config);
        run(config, simulator, incidents(config, simulator), sink, Simulator.Progress.NONE);
    }

    /** What a run produced besides its events. */
    record Run(List<IncidentOutcome> outcomes, TruthFile.FaultCounts faults) {}

    /**
     * Runs the simulator into the sinks, through the fault injector and pacer when configured.
     * Closes the wrappers (which flushes held-back records into {@code sinks}), not {@code sinks}.
     */
    private static Run run(
            SimulateConfig config,
            Simulator simulator,
            List<Incident> incidents,
            EventSink sinks,
            Simulator.Progress progress)
            throws IOException {
        EventSink head = new Unclosed(sinks);
        if (config.speedup() > 0) {
            head =
                    new PacingSink(
                            head,
                            config.speedup(),
                            config.start().toEpochMilli(),
                            PacingSink.Clock.SYSTEM);
        }
        FaultInjector injector = null;
        if (config.faults().any()) {
            injector = new FaultInjector(config.seed(), config.faults(), head);
            head = injector;
        }
        List<IncidentOutcome> outcomes;
        try (EventSink pipeline = head) {
            outcomes =
                    simulator.run(
                            config.start().toEpochMilli(),
                            config.end().toEpochMilli(),
                            incidents,
                            pipeline,
                            progress);
        }
        TruthFile.FaultCounts faults =
                injector == null
                        ? TruthFile.FaultCounts.NONE
                        : new TruthFile.FaultCounts(
                                injector.duplicates(), injector.late(), injector.malformed());
        return new Run(outcomes, faults);
    }

    private static Simulator simulator(SimulateConfig config) {
        return new Simulator(
                config.seed(), CityModel.shenzhen(), Catalogue.load(), config.settings());
    }

    private static List<Incident> incidents(SimulateConfig config, Simulator simulator)
            throws IOException {
        if (config.incidents() != null) {
            return Incidents.read(
                    Path.of(config.incidents()),
                    config.zone(),
                    Catalogue.load(),
                    CityModel.shenzhen());
        }
        return simulator.randomIncidents(
                config.randomIncidents(),
                config.start().plus(config.incidentsAfter()).toEpochMilli(),
                config.end().toEpochMilli());
    }

    private static void writeTruth(SimulateConfig config, Run result) throws IOException {
        TruthFile.write(
                Path.of(config.truth()),
                config.seed(),
                config.zone(),
                config.scale(),
                config.start(),
                config.end(),
                config.start().plus(config.incidentsAfter()),
                result.outcomes(),
                config.faults(),
                result.faults());
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
                                KafkaEventSink.DEFAULT_MAX_BLOCK,
                                config.acks()));
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

    private static String describe(SimulateConfig config, List<Incident> incidents) {
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
        StringBuilder extras = new StringBuilder();
        if (!config.settings().holidays().isEmpty()) {
            extras.append(", holidays ").append(config.settings().holidays());
        }
        if (!incidents.isEmpty()) {
            extras.append(", ").append(incidents.size()).append(" incident(s)");
            if (!config.incidentsAfter().isZero()) {
                extras.append(" after ").append(Durations.format(config.incidentsAfter()));
            }
        }
        FaultSettings f = config.faults();
        if (f.any()) {
            extras.append(
                    String.format(
                            Locale.ROOT,
                            ", faults: disorder %s, duplicates %s, late %s (by %s), malformed %s",
                            Durations.format(f.disorder()),
                            stripZeros(f.duplicateShare()),
                            stripZeros(f.lateShare()),
                            Durations.format(f.lateBy()),
                            stripZeros(f.malformedShare())));
        }
        if (config.speedup() > 0) {
            extras.append(", paced x").append(stripZeros(config.speedup()));
        }
        return String.format(
                Locale.ROOT,
                "Shenzhen x%s %s .. %s, seed %d, %s tickets/h, %s leads/day%s -> %s",
                stripZeros(config.scale()),
                format.format(ZonedDateTime.ofInstant(config.start(), config.zone())),
                format.format(ZonedDateTime.ofInstant(config.end(), config.zone())),
                config.seed(),
                stripZeros(config.settings().ticketsPerHour()),
                stripZeros(config.settings().leadsPerDay()),
                extras,
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

    /** Passes everything on but leaves closing the sink to its owner. */
    private record Unclosed(EventSink sink) implements EventSink {
        @Override
        public void ticket(io.citypulse.avro.TicketEvent event) throws IOException {
            sink.ticket(event);
        }

        @Override
        public void lead(io.citypulse.avro.LeadEvent event) throws IOException {
            sink.lead(event);
        }

        @Override
        public void deliver(Delivery delivery) throws IOException {
            sink.deliver(delivery);
        }

        @Override
        public void close() {}
    }
}
