package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.SlaBreach;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Shared pieces of the SLA ITCases: the limits they configure and comparison with the oracle. */
final class SlaResults {

    /**
     * The limits file every ITCase passes with --sla-limits: stricter expedited and item limits on
     * top of the shipped defaults, so the configuration path is exercised end to end.
     */
    static final String LIMITS =
            String.join(
                    "\n",
                    "dispatch.expedited.emergency = 20m",
                    "dispatch.expedited.general = 1h",
                    "item.TRAFFIC-ILLEGAL-PARKING.dispatch = 1h",
                    "item.WATER-PIPE-BURST.dispatch = 15m",
                    "");

    /**
     * The same limits for the oracle: the file's, plus the catalogue items' own dispatch limits
     * read straight from the catalogue CSV (the resolution fallback is unused: simulated tickets
     * carry a dueTime).
     */
    static SlaOracle.Limits oracleLimits() throws Exception {
        Map<String, Long> items =
                new HashMap<>(catalogueColumnMs("dispatch_limit_minutes", 60_000L));
        items.merge("TRAFFIC-ILLEGAL-PARKING", Duration.ofHours(1).toMillis(), Math::min);
        items.merge("WATER-PIPE-BURST", Duration.ofMinutes(15).toMillis(), Math::min);
        return new SlaOracle.Limits(
                Duration.ofMinutes(30).toMillis(),
                Duration.ofHours(2).toMillis(),
                Duration.ofMinutes(20).toMillis(),
                Duration.ofHours(1).toMillis(),
                items,
                code -> {
                    throw new IllegalStateException("simulated ticket without dueTime");
                });
    }

    /**
     * One numeric column of the shipped catalogue CSV by item code, times {@code unitMs}; empty
     * cells are left out. Plain line splitting: the oracle does not use the job's catalogue reader.
     */
    static Map<String, Long> catalogueColumnMs(String column, long unitMs) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (InputStream in =
                SlaResults.class.getResourceAsStream("/io/citypulse/catalogue/catalogue.csv")) {
            List<String> lines =
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> !l.isBlank() && !l.startsWith("#"))
                            .toList();
            List<String> header = List.of(lines.get(0).split(","));
            int code = header.indexOf("code");
            int value = header.indexOf(column);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (!cells[value].isBlank()) {
                    out.put(cells[code].strip(), Long.parseLong(cells[value].strip()) * unitMs);
                }
            }
        }
        return out;
    }

    private SlaResults() {}

    static Path writeLimits(Path dir) throws Exception {
        Path file = dir.resolve("sla-limits.properties");
        Files.writeString(file, LIMITS);
        return file;
    }

    /**
     * CREATED events of {@code n} extra tickets that are never dispatched, spread over the span of
     * {@code events} (attributes copied from the first simulated ticket, due a day after intake).
     */
    static List<TicketEvent> neverDispatched(List<TicketEvent> events, int n) {
        TicketEvent model = events.get(0);
        long first =
                events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).min().getAsLong();
        long last =
                events.stream().mapToLong(e -> e.getEventTime().toEpochMilli()).max().getAsLong();
        List<TicketEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long created = first + (last - first) * (i + 1) / (n + 2);
            out.add(
                    TicketEvent.newBuilder(model)
                            .setTicketId("T-NEVER-DISPATCHED-" + i)
                            .setEventId("T-NEVER-DISPATCHED-" + i + "#1")
                            .setType(TicketEventType.CREATED)
                            .setEventTime(Instant.ofEpochMilli(created))
                            .setAgency(null)
                            .setDueTime(
                                    Instant.ofEpochMilli(created + Duration.ofDays(1).toMillis()))
                            .build());
        }
        return out;
    }

    static SlaOracle.Event oracleEvent(TicketEvent e) {
        return new SlaOracle.Event(
                e.getTicketId(),
                e.getEventId(),
                e.getType().name(),
                e.getEventTime().toEpochMilli(),
                e.getUrgency().name(),
                e.getExpedited(),
                e.getCategoryCode(),
                e.getDistrict(),
                e.getAgency(),
                e.getDueTime() == null ? null : e.getDueTime().toEpochMilli());
    }

    static SlaOracle.Breach asOracleRow(SlaBreach b) {
        return new SlaOracle.Breach(
                b.ticketId,
                b.slaKind,
                b.status,
                b.urgency,
                b.expedited,
                b.categoryCode,
                b.district,
                b.agency,
                b.created,
                b.deadline,
                b.fulfilled,
                b.minutesOverdue);
    }

    static SlaOracle.Day asOracleRow(AgencyDaily a) {
        return new SlaOracle.Day(
                a.day,
                a.agency,
                a.ticketsDispatched,
                a.ticketsReturned,
                a.firstDispatchSuccess,
                a.firstDispatchSuccessRate,
                a.dispatchedLate,
                a.emergencyDispatched,
                a.emergencyLatencyP50Min,
                a.emergencyLatencyP90Min,
                a.generalDispatched,
                a.generalLatencyP50Min,
                a.generalLatencyP90Min,
                a.resolvedOnTime,
                a.resolvedLate,
                a.openPastDue);
    }

    /**
     * Asserts two keyed row sets are equal, first naming the keys that differ (a readable failure
     * for thousands of rows), then comparing everything.
     */
    static <T> void assertSameRows(String what, Map<String, T> actual, Map<String, T> expected) {
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        List<String> different = new ArrayList<>();
        for (String k : expected.keySet()) {
            if (actual.containsKey(k) && !actual.get(k).equals(expected.get(k))) {
                different.add(
                        k + ":\n   actual   " + actual.get(k) + "\n   expected " + expected.get(k));
            }
        }
        assertThat(missing).as(what + " missing").isEmpty();
        assertThat(extra).as(what + " unexpected").isEmpty();
        assertThat(different).as(what + " different").isEmpty();
        assertThat(new TreeMap<>(actual)).isEqualTo(new TreeMap<>(expected));
    }
}
