package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism, ordering and the simulated window. */
class SimulatorTest {

    private static final Duration SIX_HOURS = Duration.ofHours(6);

    @Test
    void sameSeedGivesByteIdenticalOutput() {
        byte[] first = SimulationRuns.jsonLines(42, MONDAY, SIX_HOURS, defaults());
        byte[] second = SimulationRuns.jsonLines(42, MONDAY, SIX_HOURS, defaults());
        assertThat(first.length).isGreaterThan(100_000);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void anotherSeedGivesAnotherCity() {
        List<TicketEvent> a = SimulationRuns.collect(42, MONDAY, SIX_HOURS, defaults()).tickets();
        List<TicketEvent> b = SimulationRuns.collect(43, MONDAY, SIX_HOURS, defaults()).tickets();
        // Not just different ids: different arrival times and categories.
        assertThat(times(b)).isNotEqualTo(times(a));
        assertThat(b.stream().map(TicketEvent::getCategoryCode).toList())
                .isNotEqualTo(a.stream().map(TicketEvent::getCategoryCode).toList());
    }

    @Test
    void aLongerRunStartsExactlyLikeAShorterOne() {
        byte[] fourHours = SimulationRuns.jsonLines(42, MONDAY, Duration.ofHours(4), defaults());
        List<String> sixHours = lines(SimulationRuns.jsonLines(42, MONDAY, SIX_HOURS, defaults()));
        long cut = MONDAY.plus(Duration.ofHours(4)).toEpochMilli();
        List<String> prefix = new ArrayList<>();
        for (String line : sixHours) {
            if (eventTime(line) < cut) {
                prefix.add(line);
            }
        }
        assertThat(prefix).isEqualTo(lines(fourHours));
    }

    @Test
    void eventsLeaveInEventTimeOrderWithLeadsBeforeTicketsOnTies() {
        CollectingSink run = SimulationRuns.collect(5, MONDAY, Duration.ofDays(1), defaults());
        List<Object> all = run.all();
        assertThat(all).hasSizeGreaterThan(10_000);
        for (int i = 1; i < all.size(); i++) {
            Key before = key(all.get(i - 1));
            Key after = key(all.get(i));
            assertThat(after.compareTo(before)).as("event %d", i).isPositive();
        }
    }

    @Test
    void onlyEventsInsideTheWindowOfEntitiesStartedInsideItAreWritten() {
        Instant start = MONDAY.plus(Duration.ofMinutes(90)); // not on an hour boundary
        Instant end = start.plus(Duration.ofHours(3));
        CollectingSink run = SimulationRuns.collect(9, start, Duration.ofHours(3), defaults());
        for (TicketEvent e : run.tickets()) {
            assertThat(e.getEventTime()).isBetween(start, end.minusMillis(1));
        }
        for (LeadEvent e : run.leads()) {
            assertThat(e.getEventTime()).isBetween(start, end.minusMillis(1));
        }
        // No ticket shows up half-way through its life: each one's first event is CREATED.
        SimulationRuns.byTicket(run.tickets())
                .values()
                .forEach(l -> assertThat(l.get(0).getType()).isEqualTo(TicketEventType.CREATED));
        // Unfinished tickets at the end are expected.
        assertThat(SimulationRuns.byTicket(run.tickets()).values()).anyMatch(l -> l.size() == 1);
    }

    @Test
    void runsAcrossADaylightSavingChangeInAnotherZone() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-11-01 02:00 EDT -> 01:00 EST: the local hour 01:00-02:00 happens twice.
        Instant start = LocalDateTime.parse("2026-10-31T22:00").atZone(newYork).toInstant();
        SimulationSettings settings = SimulationSettings.defaults(newYork);
        CollectingSink run = SimulationRuns.collect(1, start, Duration.ofHours(8), settings);
        List<String> ids = run.tickets().stream().map(TicketEvent::getEventId).toList();
        assertThat(ids).doesNotHaveDuplicates().isNotEmpty();
    }

    private static List<Long> times(List<TicketEvent> events) {
        return events.stream().map(e -> e.getEventTime().toEpochMilli()).toList();
    }

    private static List<String> lines(byte[] jsonLines) {
        return Arrays.asList(new String(jsonLines, StandardCharsets.UTF_8).split("\n"));
    }

    private static long eventTime(String line) {
        int at = line.indexOf("\"eventTime\":") + "\"eventTime\":".length();
        int comma = line.indexOf(',', at);
        return Long.parseLong(line.substring(at, comma));
    }

    private record Key(long time, int kind, String eventId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(time, o.time);
            if (c == 0) {
                c = Integer.compare(kind, o.kind);
            }
            return c != 0 ? c : eventId.compareTo(o.eventId);
        }
    }

    private static Key key(Object event) {
        if (event instanceof LeadEvent lead) {
            return new Key(lead.getEventTime().toEpochMilli(), 0, lead.getEventId());
        }
        TicketEvent ticket = (TicketEvent) event;
        return new Key(ticket.getEventTime().toEpochMilli(), 1, ticket.getEventId());
    }
}
