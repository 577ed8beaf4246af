package io.citypulse.tools.simulate;

import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.util.List;
import java.util.Map;

/**
 * Tickets from citizens' own channels (hotline, app, WeChat, web, mayor's mailbox), one simulated
 * hour at a time, plus the intake of tickets converted from leads (for {@link LeadGenerator}).
 *
 * <p>Each hour has its own random stream for the arrival times, and each arrival its own stream for
 * its attributes and lifecycle (see {@link Rng}), so an hour's tickets do not depend on any other
 * hour, on the run's start or length, or on how many draws an earlier ticket made.
 *
 * <p>Incidents add tickets on top ({@link #generateIncidentHour}): their own arrival process, at
 * (multiplier - 1) times the usual rate of the incident's scope, with their own random streams, so
 * the city's ordinary tickets are the same with or without incidents.
 */
final class TicketGenerator {

    /** Stream tags that keep the random streams of different entity kinds apart. */
    static final long ARRIVAL_STREAM = 0x7417C3E7L;

    static final long TICKET_STREAM = 0x7417C3E8L;
    static final long LEAD_TICKET_STREAM = 0x7417C3E9L;
    static final long INCIDENT_ARRIVAL_STREAM = 0x7417C3EAL;
    static final long INCIDENT_TICKET_STREAM = 0x7417C3EBL;

    /** Share of tickets whose street is not recorded. */
    private static final double STREET_UNKNOWN_SHARE = 0.05;

    /**
     * Share of tickets with a geocoded point, by channel: apps and WeChat send the phone's
     * position, a hotline operator geocodes only some calls, letters rarely have one.
     */
    private static final Map<String, Double> LOCATED_SHARE =
            Map.of(
                    "HOTLINE",
                    0.5,
                    "APP",
                    0.95,
                    "WECHAT",
                    0.9,
                    "WEB",
                    0.6,
                    "MAYOR_MAILBOX",
                    0.2,
                    CityModel.LEAD_CHANNEL,
                    0.7);

    private static final double DEFAULT_LOCATED_SHARE = 0.5;

    private final long seed;
    private final SimulationSettings settings;
    private final Places places;
    private final CategoryMix categories;
    private final WeightedChoice<String> channels;
    private final ArrivalProcess arrivals;
    private final TicketLifecycle lifecycle;

    TicketGenerator(long seed, CityModel city, Catalogue catalogue, SimulationSettings settings) {
        this.seed = seed;
        this.settings = settings;
        this.places = new Places(city);
        this.categories = new CategoryMix(catalogue, city.ticketMajorWeights());
        this.channels = WeightedChoice.of(city.channelWeights());
        this.arrivals =
                new ArrivalProcess(city.ticketArrivals(), settings.zone(), settings.holidays());
        this.lifecycle = new TicketLifecycle(settings, catalogue);
    }

    /**
     * Generates the tickets created in one UTC hour; only those created in [{@code fromMs}, {@code
     * toMs}) are kept, and their lifecycles are cut at {@code horizonMs}.
     */
    void generateHour(long epochHour, long fromMs, long toMs, long horizonMs, EventCollector out) {
        long hourStart = epochHour * 3_600_000L;
        String label = Ids.hourLabel(epochHour);
        Rng arrivalRng = Rng.derive(seed, ARRIVAL_STREAM, epochHour);
        long[] arrivalTimes =
                arrivals.arrivals(
                        arrivalRng, hourStart, hourStart + 3_600_000L, settings.ticketsPerHour());
        // Tickets are numbered over the whole hour, kept or not, so a window that starts or ends
        // inside the hour keeps the same ids and random streams.
        for (int n = 1; n <= arrivalTimes.length; n++) {
            long created = arrivalTimes[n - 1];
            if (created < fromMs || created >= toMs) {
                continue;
            }
            Rng rng = Rng.derive(seed, TICKET_STREAM, epochHour, n);
            TicketIntake intake = intake(Ids.ticketId(label, n), created, channels.pick(rng), rng);
            for (TicketEvent event : lifecycle.events(intake, rng, horizonMs)) {
                out.ticket(event);
            }
        }
    }

    /**
     * Generates the extra tickets of incident number {@code ordinal} created in one UTC hour,
     * inside [{@code fromMs}, {@code toMs}) (the caller intersects the incident's and the run's
     * windows).
     *
     * @return the number of tickets created
     */
    int generateIncidentHour(
            Incident incident,
            int ordinal,
            CatalogueItem fixedItem,
            long epochHour,
            long fromMs,
            long toMs,
            long horizonMs,
            EventCollector out) {
        long hourStart = epochHour * 3_600_000L;
        long from = Math.max(fromMs, hourStart);
        long to = Math.min(toMs, hourStart + 3_600_000L);
        double extraPerHour =
                (incident.multiplier() - 1)
                        * settings.ticketsPerHour()
                        * scopeShare(incident, fixedItem);
        Rng arrivalRng = Rng.derive(seed, INCIDENT_ARRIVAL_STREAM, ordinal, epochHour);
        long[] arrivalTimes = arrivals.arrivals(arrivalRng, from, to, extraPerHour);
        String label = Ids.hourLabel(epochHour);
        for (int n = 1; n <= arrivalTimes.length; n++) {
            Rng rng = Rng.derive(seed, INCIDENT_TICKET_STREAM, ordinal, epochHour, n);
            String channel = channels.pick(rng);
            CatalogueItem item =
                    fixedItem != null
                            ? fixedItem
                            : categories.pickWithin(incident.categoryMajor(), rng);
            TicketIntake intake =
                    intake(
                            Ids.incidentTicketId(label, ordinal, n),
                            arrivalTimes[n - 1],
                            channel,
                            rng,
                            item,
                            incident.district(),
                            null);
            for (TicketEvent event : lifecycle.events(intake, rng, horizonMs)) {
                out.ticket(event);
            }
        }
        return arrivalTimes.length;
    }

    /** Share of the city's ordinary tickets that fall in the incident's scope. */
    double scopeShare(Incident incident, CatalogueItem fixedItem) {
        double share = categories.majorShare(incident.categoryMajor());
        if (fixedItem != null) {
            share *= categories.itemShareWithinMajor(fixedItem);
        }
        if (incident.district() != null) {
            share *= places.districtShare(incident.district());
        }
        return share;
    }

    /**
     * The expected number of ordinary (citizens') tickets in the incident's scope created in
     * [fromMs, toMs): the incident adds (multiplier - 1) times this.
     */
    double expectedScopeTickets(
            Incident incident, CatalogueItem fixedItem, long fromMs, long toMs) {
        return arrivals.expectedArrivals(
                fromMs, toMs, settings.ticketsPerHour() * scopeShare(incident, fixedItem));
    }

    /**
     * The events of a ticket converted from a lead at {@code createdMs}: channel LEAD, the lead's
     * item, and the district the problem is in (known to the verifier even when the post did not
     * name it).
     */
    List<TicketEvent> convertedLead(
            String leadId,
            long createdMs,
            CatalogueItem item,
            String district,
            Rng rng,
            long horizonMs) {
        TicketIntake intake =
                intake(
                        Ids.convertedTicketId(leadId),
                        createdMs,
                        CityModel.LEAD_CHANNEL,
                        rng,
                        item,
                        district,
                        leadId);
        return lifecycle.events(intake, rng, horizonMs);
    }

    private TicketIntake intake(String ticketId, long createdMs, String channel, Rng rng) {
        return intake(ticketId, createdMs, channel, rng, categories.pick(rng), null, null);
    }

    private TicketIntake intake(
            String ticketId,
            long createdMs,
            String channel,
            Rng rng,
            CatalogueItem item,
            String knownDistrict,
            String sourceLeadId) {
        Urgency urgency =
                rng.chance(settings.emergencyShare()) ? Urgency.EMERGENCY : Urgency.GENERAL;
        boolean expedited = rng.chance(settings.expeditedShare());
        // The district is drawn even when known, so that knowing it does not shift later draws.
        District drawn = places.district(rng);
        District district = knownDistrict == null ? drawn : places.districtNamed(knownDistrict);
        String street = places.street(district, rng, STREET_UNKNOWN_SHARE);
        double locatedShare = LOCATED_SHARE.getOrDefault(channel, DEFAULT_LOCATED_SHARE);
        Location location = rng.chance(locatedShare) ? places.point(district, rng) : null;
        return new TicketIntake(
                ticketId,
                createdMs,
                channel,
                item,
                district.name(),
                street,
                urgency,
                expedited,
                sourceLeadId,
                location);
    }
}
