package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.catalogue.Catalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Test fixtures: runs of the simulator into memory or into JSON-lines bytes. */
final class SimulationRuns {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** Monday 2026-11-02 00:00 in Shenzhen, the default start. */
    static final Instant MONDAY =
            LocalDateTime.parse("2026-11-02T00:00").atZone(SHANGHAI).toInstant();

    static final Catalogue CATALOGUE = Catalogue.load();

    private SimulationRuns() {}

    static SimulationSettings defaults() {
        return SimulationSettings.defaults(SHANGHAI);
    }

    static CollectingSink collect(long seed, Instant start, Duration length, SimulationSettings s) {
        CollectingSink sink = new CollectingSink();
        run(seed, start, length, s, sink);
        return sink;
    }

    static byte[] jsonLines(long seed, Instant start, Duration length, SimulationSettings s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(bytes)) {
            run(seed, start, length, s, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void run(
            long seed, Instant start, Duration length, SimulationSettings s, EventSink sink) {
        try {
            new Simulator(seed, CityModel.shenzhen(), CATALOGUE, s)
                    .run(
                            start.toEpochMilli(),
                            start.plus(length).toEpochMilli(),
                            sink,
                            Simulator.Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events of each ticket, in output order, tickets in order of first appearance. */
    static Map<String, List<TicketEvent>> byTicket(List<TicketEvent> events) {
        return events.stream()
                .collect(
                        Collectors.groupingBy(
                                TicketEvent::getTicketId, LinkedHashMap::new, Collectors.toList()));
    }

    /** Events of each lead, in output order. */
    static Map<String, List<LeadEvent>> byLead(List<LeadEvent> events) {
        return events.stream()
                .collect(
                        Collectors.groupingBy(
                                LeadEvent::getLeadId, LinkedHashMap::new, Collectors.toList()));
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
