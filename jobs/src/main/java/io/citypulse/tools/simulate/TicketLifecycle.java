package io.citypulse.tools.simulate;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.time.Instant;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of one ticket after intake: CREATED, DISPATCHED (possibly RETURNED and DISPATCHED
 * again), ACCEPTED, RESOLVED, CLOSED, and sometimes REOPENED, RESOLVED, CLOSED again.
 *
 * <p>Delays are log-normal (skewed, with a long tail, as service times are), with medians chosen so
 * the headline figures land where the settings put them: the share of late first dispatches is
 * exactly {@link SimulationSettings#lateDispatchShare()} in expectation (on-time delays are drawn
 * below the deadline, late ones above it), and resolution overruns the due time for a few percent
 * of tickets. Every step takes at least 30 seconds, so a ticket's events have strictly increasing
 * times and their order never depends on a tie-break.
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

    private final SimulationSettings settings;
    private final ZoneRules zoneRules;

    TicketLifecycle(SimulationSettings settings) {
        this.settings = settings;
        this.zoneRules = settings.zone().getRules();
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

    /** The dispatch deadline of a ticket of this urgency. */
    static long dispatchLimitMs(Urgency urgency) {
        return urgency == Urgency.EMERGENCY
                ? EMERGENCY_DISPATCH_LIMIT_MS
                : GENERAL_DISPATCH_LIMIT_MS;
    }

    private long dispatchDelayMs(TicketIntake intake, boolean emergency, Rng rng) {
        double limitMinutes = dispatchLimitMs(intake.urgency()) / 60_000.0;
        if (rng.chance(settings.lateDispatchShare())) {
            // Late: past the deadline by an exponential overrun, at least a minute.
            return minutes(limitMinutes + 1 + rng.exponential(LATE_OVERRUN_MEAN * limitMinutes), 0);
        }
        double median = emergency ? EMERGENCY_DISPATCH_MEDIAN : GENERAL_DISPATCH_MEDIAN;
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
        private final List<TicketEvent> list = new ArrayList<>(8);

        Builder(TicketIntake intake) {
            this.intake = intake;
        }

        /** Appends an event and returns its time. */
        long add(TicketEventType type, long time, String agency) {
            list.add(
                    TicketEvent.newBuilder()
                            .setEventId(Ids.eventId(intake.ticketId(), list.size() + 1))
                            .setTicketId(intake.ticketId())
                            .setType(type)
                            .setEventTime(Instant.ofEpochMilli(time))
                            .setChannel(intake.channel())
                            .setCategoryCode(intake.item().code())
                            .setCategoryMajor(intake.item().major())
                            .setDistrict(intake.district())
                            .setStreet(intake.street())
                            .setAgency(agency)
                            .setUrgency(intake.urgency())
                            .setExpedited(intake.expedited())
                            .setDueTime(Instant.ofEpochMilli(intake.dueMs()))
                            .setSourceLeadId(intake.sourceLeadId())
                            .setLocation(intake.location())
                            .build());
            return time;
        }
    }
}
