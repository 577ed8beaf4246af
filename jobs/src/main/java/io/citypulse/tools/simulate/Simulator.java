package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.catalogue.Catalogue;
import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs a simulation: generates tickets and leads hour by hour and hands their events to a sink in
 * event-time order.
 *
 * <h2>Memory</h2>
 *
 * Generation is streamed. Each UTC hour's new tickets and leads are generated with their whole
 * lifecycles, and those events go into a priority queue ordered by event time. Nothing generated
 * later can happen before the start of its own hour, so once an hour is generated every queued
 * event before the end of that hour is final and is written out. The queue therefore holds only the
 * future events of entities still in flight (roughly arrival rate x mean lifetime, tens of
 * thousands of events at the default rate), never the run's output: a year of a megacity streams
 * through in bounded memory. Events at or after the end of the run are never queued.
 *
 * <h2>Incidents</h2>
 *
 * Incidents ({@link IncidentInjector}) add tickets and leads on top of the city's ordinary ones,
 * with random streams of their own: the ordinary events of a run are the same with and without
 * incidents, and the extra events are exactly the difference.
 *
 * <h2>Order and determinism</h2>
 *
 * Events leave in (eventTime, leads before tickets, eventId) order, a total order, so the output is
 * a pure function of the seed, the city, the settings and the window. A ticket converted from a
 * lead is created at the conversion time, so the lead's CONVERTED comes just before the ticket's
 * CREATED.
 */
final class Simulator {

    private static final long HOUR_MS = 3_600_000L;

    private final long seed;
    private final CityModel city;
    private final Catalogue catalogue;
    private final SimulationSettings settings;
    private final TicketGenerator tickets;
    private final LeadGenerator leads;

    Simulator(long seed, CityModel city, Catalogue catalogue, SimulationSettings settings) {
        this.seed = seed;
        this.city = city;
        this.catalogue = catalogue;
        this.settings = settings;
        this.tickets = new TicketGenerator(seed, city, catalogue, settings);
        this.leads = new LeadGenerator(seed, city, catalogue, settings, tickets);
    }

    /** {@code count} incidents drawn from the seed inside the window ({@link Incidents#random}). */
    List<Incident> randomIncidents(int count, long startMs, long endMs) {
        return Incidents.random(
                seed, count, startMs, endMs, city, catalogue, tickets::expectedScopeTickets);
    }

    /** Observes progress after each simulated hour (e.g. to print a progress line). */
    interface Progress {
        Progress NONE = simulatedUpToMs -> {};

        void hourDone(long simulatedUpToMs);
    }

    /**
     * Writes every event of the entities that start in [{@code startMs}, {@code endMs}) whose event
     * time is before {@code endMs}, in event-time order. Does not close the sink.
     */
    void run(long startMs, long endMs, EventSink sink, Progress progress) throws IOException {
        run(startMs, endMs, List.of(), sink, progress);
    }

    /**
     * Like {@link #run(long, long, EventSink, Progress)}, with incidents injected.
     *
     * @return per incident, what it was expected to add and what it added to the output
     */
    List<IncidentOutcome> run(
            long startMs, long endMs, List<Incident> incidents, EventSink sink, Progress progress)
            throws IOException {
        if (endMs <= startMs) {
            throw new IllegalArgumentException("empty simulation window");
        }
        IncidentInjector injector =
                new IncidentInjector(
                        incidents, catalogue, city, settings, tickets, leads, startMs, endMs);
        TimeOrderedBuffer buffer = new TimeOrderedBuffer(endMs);
        long firstHour = Math.floorDiv(startMs, HOUR_MS);
        long lastHour = Math.floorDiv(endMs - 1, HOUR_MS);
        for (long hour = firstHour; hour <= lastHour; hour++) {
            tickets.generateHour(hour, startMs, endMs, endMs, buffer);
            leads.generateHour(hour, startMs, endMs, endMs, buffer);
            injector.generateHour(hour, endMs, buffer);
            long safeUpTo = Math.min(endMs, (hour + 1) * HOUR_MS);
            buffer.writeBefore(safeUpTo, sink);
            progress.hourDone(safeUpTo);
        }
        buffer.writeBefore(Long.MAX_VALUE, sink); // a no-op: everything queued is before endMs
        return injector.outcomes();
    }

    /** Collects generated events and releases them in order once they are final. */
    private static final class TimeOrderedBuffer implements EventCollector {
        private final PriorityQueue<Pending> queue = new PriorityQueue<>(1 << 12);
        private final long endMs;

        TimeOrderedBuffer(long endMs) {
            this.endMs = endMs;
        }

        @Override
        public void ticket(TicketEvent event) {
            long time = event.getEventTime().toEpochMilli();
            if (time < endMs) {
                queue.add(new Pending(time, Pending.TICKET, event.getEventId(), event));
            }
        }

        @Override
        public void lead(LeadEvent event) {
            long time = event.getEventTime().toEpochMilli();
            if (time < endMs) {
                queue.add(new Pending(time, Pending.LEAD, event.getEventId(), event));
            }
        }

        void writeBefore(long timeMs, EventSink sink) throws IOException {
            while (!queue.isEmpty() && queue.peek().time() < timeMs) {
                queue.poll().writeTo(sink);
            }
        }
    }

    /** A generated event waiting for its turn. */
    private record Pending(long time, int kind, String eventId, Object event)
            implements Comparable<Pending> {
        static final int LEAD = 0;
        static final int TICKET = 1;

        /** (time, leads before tickets, eventId): a total order, since eventIds are unique. */
        @Override
        public int compareTo(Pending other) {
            if (time != other.time) {
                return Long.compare(time, other.time);
            }
            if (kind != other.kind) {
                return Integer.compare(kind, other.kind);
            }
            return eventId.compareTo(other.eventId);
        }

        void writeTo(EventSink sink) throws IOException {
            if (kind == LEAD) {
                sink.lead((LeadEvent) event);
            } else {
                sink.ticket((TicketEvent) event);
            }
        }
    }
}
