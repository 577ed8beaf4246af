package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the incidents' extra tickets and leads to the simulation, hour by hour, and counts what it
 * injected, so the truth file reports the actual extra volume next to the expected one.
 *
 * <p>Incident number k (1-based, in list order) has random streams of its own and its entities
 * carry {@code I<k>} in their ids, so the city's ordinary tickets and leads are identical with or
 * without incidents: the extra volume of a run is exactly the difference to the same run without
 * them.
 */
final class IncidentInjector {

    private final List<Incident> incidents;
    private final List<CatalogueItem> items; // the incident's fixed item, or null
    private final List<Counter> counters = new ArrayList<>();
    private final TicketGenerator tickets;
    private final LeadGenerator leads;
    private final SimulationSettings settings;
    private final long runStartMs;
    private final long runEndMs;

    IncidentInjector(
            List<Incident> incidents,
            Catalogue catalogue,
            CityModel city,
            SimulationSettings settings,
            TicketGenerator tickets,
            LeadGenerator leads,
            long runStartMs,
            long runEndMs) {
        this.incidents = List.copyOf(incidents);
        this.items = new ArrayList<>();
        for (Incident incident : this.incidents) {
            Incidents.validate(incident, catalogue, city);
            items.add(
                    incident.categoryCode() == null
                            ? null
                            : catalogue.item(incident.categoryCode()));
            counters.add(new Counter());
        }
        this.settings = settings;
        this.tickets = tickets;
        this.leads = leads;
        this.runStartMs = runStartMs;
        this.runEndMs = runEndMs;
    }

    /** Generates every incident's extra tickets and lead posts that start in this UTC hour. */
    void generateHour(long epochHour, long horizonMs, EventCollector out) {
        long hourStart = epochHour * 3_600_000L;
        long hourEnd = hourStart + 3_600_000L;
        for (int i = 0; i < incidents.size(); i++) {
            Incident incident = incidents.get(i);
            Counter counter = counters.get(i).to(out, horizonMs);
            long from = Math.max(Math.max(incident.startMs(), runStartMs), hourStart);
            long to = Math.min(Math.min(incident.endMs(), runEndMs), hourEnd);
            if (from < to) {
                tickets.generateIncidentHour(
                        incident, i + 1, items.get(i), epochHour, from, to, horizonMs, counter);
            }
            if (incident.leadDriven()) {
                long leadFrom = Math.max(Math.max(incident.leadStartMs(), runStartMs), hourStart);
                if (leadFrom < to) {
                    leads.generateIncidentHour(
                            incident,
                            i + 1,
                            items.get(i),
                            epochHour,
                            leadFrom,
                            to,
                            horizonMs,
                            counter);
                }
            }
        }
    }

    /** What each incident was expected to add and what it did add (after the run). */
    List<IncidentOutcome> outcomes() {
        List<IncidentOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < incidents.size(); i++) {
            Incident incident = incidents.get(i);
            CatalogueItem item = items.get(i);
            long from = Math.max(incident.startMs(), runStartMs);
            long to = Math.min(incident.endMs(), runEndMs);
            double baseline =
                    from < to ? tickets.expectedScopeTickets(incident, item, from, to) : 0;
            double expectedLeads = 0;
            if (incident.leadDriven()) {
                long leadFrom = Math.max(incident.leadStartMs(), runStartMs);
                if (leadFrom < to) {
                    expectedLeads = leads.expectedIncidentLeads(incident, item, leadFrom, to);
                }
            }
            double expectedTickets =
                    (incident.multiplier() - 1) * baseline
                            + expectedLeads * settings.leadValidShare();
            Counter c = counters.get(i);
            outcomes.add(
                    new IncidentOutcome(
                            incident,
                            i + 1,
                            baseline,
                            expectedTickets,
                            c.tickets,
                            c.ticketsFromLeads,
                            expectedLeads,
                            c.leads));
        }
        return outcomes;
    }

    /**
     * Counts the incident's entities that appear in the output (events at or after the run's end
     * are never written) and passes every event on.
     */
    private static final class Counter implements EventCollector {
        private EventCollector out;
        private long horizonMs;
        long tickets;
        long ticketsFromLeads;
        long leads;

        Counter to(EventCollector out, long horizonMs) {
            this.out = out;
            this.horizonMs = horizonMs;
            return this;
        }

        @Override
        public void ticket(TicketEvent event) {
            if (event.getType() == TicketEventType.CREATED
                    && event.getEventTime().toEpochMilli() < horizonMs) {
                tickets++;
                if (event.getSourceLeadId() != null) {
                    ticketsFromLeads++;
                }
            }
            out.ticket(event);
        }

        @Override
        public void lead(LeadEvent event) {
            if (event.getType() == LeadEventType.CAPTURED
                    && event.getEventTime().toEpochMilli() < horizonMs) {
                leads++;
            }
            out.lead(event);
        }
    }
}
