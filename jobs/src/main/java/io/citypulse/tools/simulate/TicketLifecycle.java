package io.citypulse.tools.simulate;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.time.Instant;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The life of one ticket after intake: CREATED, DISPATCHED (possibly RETURNED and DISPATCHED
 * again), ACCEPTED, RESOLVED, CLOSED, and sometimes REOPENED, RESOLVED, CLOSED again.
 *
 * <p>Delays are log-normal (skewed, with a long tail, as service times are), with medians chosen so
 * the headline figures land where the settings put them: the share of late first dispatches is
 * exactly {@link SimulationSettings#lateDispatchShare()} in expectation (on-time delays are drawn
 * below the deadline, late ones above it), and resolution overruns the due time for a few percent
 * of tickets. The deadline is the platform's (30 min emergency, 2 h general) or the item's stricter
 * one from the catalogue. A returned ticket goes back to the same agency or, with {@link
 * SimulationSettings#reassignShare()}, to another one (the unit said "not ours"): one that handles
 * other items of the same major, else the sub-district office. Every step takes at least 30
 * seconds, so a ticket's events have strictly increasing times and their order never depends on a
 * tie-break.
 */
final class TicketLifecycle {

    /** Emergency tickets must be dispatched within 30 minutes of intake. */
    static final long EMERGENCY_DISPATCH_LIMIT_MS = 30 * 60_000L;

    /** General tickets must be dispatched within 2 hours of intake. */
    static final long GENERAL_DISPATCH_LIMIT_MS = 120 * 60_000L;

    // Medians in minutes. Dispatchers triage emergencies first; expedited tickets take a priority
    // lane; at night fewer dispatchers are on duty, so general tickets wait longer.
    private static final double EMERGENCY_DISPATCH_MEDIAN = 6;
    private static final double GENERAL_DISPATCH_MEDIAN = 25;
    private static final double DISPATCH_SIGMA = 0.8;
    private static final double EXPEDITED_FACTOR = 0.5;
    private static final double NIGHT_FACTOR = 1.6;
    private static final int NIGHT_END_HOUR = 7;

    /** Mean overrun of a late dispatch, as a fraction of its deadline. */
    private static final double LATE_OVERRUN_MEAN = 0.4;

    private static final double RETURN_MEDIAN = 90;
    private static final double REDISPATCH_MEDIAN = 15;

    /** Chance that a ticket already returned once is returned again. */
    private static final double SECOND_RETURN_CHANCE = 0.1;

    private static final double EMERGENCY_ACCEPT_MEDIAN = 5;
    private static final double GENERAL_ACCEPT_MEDIAN = 20;

    /** Resolution median as a fraction of the item's default resolution time. */
    private static final double RESOLUTION_MEDIAN_FRACTION = 0.35;

    private static final double REOPENED_RESOLUTION_MEDIAN_FRACTION = 0.25;
    private static final double RESOLUTION_SIGMA = 0.7;
    private static final double EMERGENCY_RESOLUTION_FACTOR = 0.5;
    private static final double CLOSE_MEDIAN = 6 * 60;
    private static final double REOPEN_MEDIAN = 24 * 60;

    /** Where a ticket goes when no other unit of its major fits: the sub-district office. */
    static final String FALLBACK_AGENCY = "STREET_OFFICE";

    private static final String SECOND_FALLBACK_AGENCY = "URBAN_MANAGEMENT";

    /** On-time dispatch median at most this fraction of a strict item deadline. */
    private static final double STRICT_LIMIT_MEDIAN_FRACTION = 0.3;

    private final SimulationSettings settings;
    private final ZoneRules zoneRules;
    private final Map<String, List<String>> reassignTo;

    TicketLifecycle(SimulationSettings settings, Catalogue catalogue) {
        this.settings = settings;
        this.zoneRules = settings.zone().getRules();
        this.reassignTo = reassignTargets(catalogue);
    }

    /**
     * For each item, the agencies a returned ticket can be re-dispatched to: the other agencies of
     * the item's major in catalogue order, else the sub-district office.
     */
    static Map<String, List<String>> reassignTargets(Catalogue catalogue) {
        Map<String, List<String>> targets = new HashMap<>();
        for (CatalogueItem item : catalogue.items()) {
            Set<String> others = new LinkedHashSet<>();
            for (CatalogueItem sibling : catalogue.itemsOf(item.major())) {
                others.add(sibling.agency());
            }
            others.remove(item.agency());
            if (others.isEmpty()) {
                others.add(
                        item.agency().equals(FALLBACK_AGENCY)
                                ? SECOND_FALLBACK_AGENCY
                                : FALLBACK_AGENCY);
            }
            targets.put(item.code(), List.copyOf(others));
        }
        return targets;
    }

    /**
     * The ticket's events in lifecycle order, up to the first one at or after {@code horizonMs}
     * (later events would not be emitted anyway; stopping early changes nothing before it, since
     * each ticket has its own random stream).
     */
    List<TicketEvent> events(TicketIntake intake, Rng rng, long horizonMs) {
        Builder events = new Builder(intake);
        long t = intake.createdMs();
        events.add(TicketEventType.CREATED, t, null);
        String agency = intake.item().agency();
        boolean emergency = intake.urgency() == Urgency.EMERGENCY;

        t += dispatchDelayMs(intake, emergency, rng);
        if (events.add(TicketEventType.DISPATCHED, t, agency) >= horizonMs) {
            return events.list;
        }
        double returnChance = settings.returnShare();
        while (rng.chance(returnChance)) {
            t += minutes(rng.logNormal(RETURN_MEDIAN, 0.8), 5);
            if (events.add(TicketEventType.RETURNED, t, agency) >= horizonMs) {
                return events.list;
            }
            if (rng.chance(settings.reassignShare())) {
                List<String> targets = reassignTo.get(intake.item().code());
                if (targets == null) {
                    targets = List.of(FALLBACK_AGENCY);
                }
                agency = targets.get(rng.nextInt(targets.size()));
            }
            t += minutes(rng.logNormal(REDISPATCH_MEDIAN, 0.8), 1);
            if (events.add(TicketEventType.DISPATCHED, t, agency) >= horizonMs) {
                return events.list;
            }
            returnChance = SECOND_RETURN_CHANCE;
        }
        double acceptMedian = emergency ? EMERGENCY_ACCEPT_MEDIAN : GENERAL_ACCEPT_MEDIAN;
        t += minutes(rng.logNormal(acceptMedian, 1.0), 0.5);
        if (events.add(TicketEventType.ACCEPTED, t, agency) >= horizonMs) {
            return events.list;
        }
        t += resolutionMs(intake, RESOLUTION_MEDIAN_FRACTION, rng);
        if (events.add(TicketEventType.RESOLVED, t, agency) >= horizonMs) {
            return events.list;
        }
        t += minutes(rng.logNormal(CLOSE_MEDIAN, 0.9), 5);
        if (events.add(TicketEventType.CLOSED, t, agency) >= horizonMs) {
            return events.list;
        }
        if (rng.chance(settings.reopenShare())) {
            t += minutes(rng.logNormal(REOPEN_MEDIAN, 0.8), 10);
            if (events.add(TicketEventType.REOPENED, t, agency) >= horizonMs) {
                return events.list;
            }
            t += resolutionMs(intake, REOPENED_RESOLUTION_MEDIAN_FRACTION, rng);
            if (events.add(TicketEventType.RESOLVED, t, agency) >= horizonMs) {
                return events.list;
            }
            t += minutes(rng.logNormal(CLOSE_MEDIAN, 0.9), 5);
            events.add(TicketEventType.CLOSED, t, agency);
        }
        return events.list;
    }

    /** The platform's dispatch deadline of a ticket of this urgency. */
    static long dispatchLimitMs(Urgency urgency) {
        return urgency == Urgency.EMERGENCY
                ? EMERGENCY_DISPATCH_LIMIT_MS
                : GENERAL_DISPATCH_LIMIT_MS;
    }

    /** The dispatch deadline of a ticket: the platform's, or the item's when that is stricter. */
    static long dispatchLimitMs(Urgency urgency, CatalogueItem item) {
        long platform = dispatchLimitMs(urgency);
        return item.dispatchLimitMinutes() > 0
                ? Math.min(platform, item.dispatchLimitMinutes() * 60_000L)
                : platform;
    }

    private long dispatchDelayMs(TicketIntake intake, boolean emergency, Rng rng) {
        double limitMinutes = dispatchLimitMs(intake.urgency(), intake.item()) / 60_000.0;
        if (rng.chance(settings.lateDispatchShare())) {
            // Late: past the deadline by an exponential overrun, at least a minute.
            return minutes(limitMinutes + 1 + rng.exponential(LATE_OVERRUN_MEAN * limitMinutes), 0);
        }
        double median = emergency ? EMERGENCY_DISPATCH_MEDIAN : GENERAL_DISPATCH_MEDIAN;
        median = Math.min(median, STRICT_LIMIT_MEDIAN_FRACTION * limitMinutes);
        if (intake.expedited()) {
            median *= EXPEDITED_FACTOR;
        }
        if (!emergency && localHour(intake.createdMs()) < NIGHT_END_HOUR) {
            median *= NIGHT_FACTOR;
        }
        // On time: skewed, but strictly inside the deadline (30 s short of it at most, so that
        // rounding to milliseconds can never push it over).
        return minutes(rng.logNormalBelow(median, DISPATCH_SIGMA, limitMinutes - 0.5), 0.5);
    }

    private long resolutionMs(TicketIntake intake, double medianFraction, Rng rng) {
        double median = medianFraction * intake.item().resolutionHours() * 60;
        if (intake.expedited()) {
            median *= EXPEDITED_FACTOR;
        }
        if (intake.urgency() == Urgency.EMERGENCY) {
            median *= EMERGENCY_RESOLUTION_FACTOR;
        }
        return minutes(rng.logNormal(median, RESOLUTION_SIGMA), 10);
    }

    private int localHour(long epochMs) {
        long offsetMs =
                zoneRules.getOffset(Instant.ofEpochMilli(epochMs)).getTotalSeconds() * 1000L;
        return (int) Math.floorMod(epochMs + offsetMs, 86_400_000L) / 3_600_000;
    }

    /** Minutes to milliseconds, at least {@code floorMinutes}. */
    private static long minutes(double minutes, double floorMinutes) {
        return Math.round(Math.max(minutes, floorMinutes) * 60_000);
    }

    /** Appends events that share the ticket's intake fields, numbering their ids. */
    private static final class Builder {
        private final TicketIntake intake;
        private final Instant due;
        private final List<TicketEvent> list = new ArrayList<>(8);

        Builder(TicketIntake intake) {
            this.intake = intake;
            this.due = Instant.ofEpochMilli(intake.dueMs());
        }

        /**
         * Appends an event and returns its time. The all-arguments constructor, not the Avro
         * builder: the builder validates and copies every field, which made it the simulator's
         * largest cost; a field added to the schema breaks this call at compile time.
         */
        long add(TicketEventType type, long time, String agency) {
            list.add(
                    new TicketEvent(
                            Ids.eventId(intake.ticketId(), list.size() + 1),
                            intake.ticketId(),
                            type,
                            Instant.ofEpochMilli(time),
                            intake.channel(),
                            intake.item().code(),
                            intake.item().major(),
                            intake.district(),
                            intake.street(),
                            agency,
                            intake.urgency(),
                            intake.expedited(),
                            due,
                            intake.sourceLeadId(),
                            intake.location()));
            return time;
        }
    }
}
