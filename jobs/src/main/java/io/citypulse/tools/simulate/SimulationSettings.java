package io.citypulse.tools.simulate;

import java.time.ZoneId;

/**
 * Rates and shares of one simulation run: how many tickets and leads, and how often each twist of a
 * lifecycle happens. Delay distributions are named constants next to the code that uses them
 * ({@link TicketLifecycle}, {@link LeadGenerator}); the shares here are the ones tests and checks
 * compare the output against, so they are explicit and adjustable.
 *
 * @param zone local time zone: shapes the daily rhythm of arrivals
 * @param ticketsPerHour long-run average of tickets created per hour (from citizens' channels;
 *     tickets converted from leads come on top)
 * @param leadsPerDay long-run average of leads captured per day (every capture of a post counts,
 *     including the same post seen again on another platform)
 * @param emergencyShare share of tickets with urgency EMERGENCY
 * @param expeditedShare share of tickets that are expedited (加急)
 * @param lateDispatchShare share of tickets first dispatched after their deadline (30 min for
 *     emergency, 2 h for general)
 * @param returnShare share of dispatches returned by the unit (退单) and dispatched again
 * @param reopenShare share of closed tickets that are reopened
 * @param leadValidShare share of captured leads verified valid (all of which are converted)
 * @param leadRepostShare share of posts that are also captured on one or more other platforms
 * @param leadLocatedShare share of leads whose post could be placed in a district
 */
record SimulationSettings(
        ZoneId zone,
        double ticketsPerHour,
        double leadsPerDay,
        double emergencyShare,
        double expeditedShare,
        double lateDispatchShare,
        double returnShare,
        double reopenShare,
        double leadValidShare,
        double leadRepostShare,
        double leadLocatedShare) {

    static final double DEFAULT_TICKETS_PER_HOUR = 500;
    static final double DEFAULT_LEADS_PER_DAY = 500;

    SimulationSettings {
        requireRate("ticketsPerHour", ticketsPerHour);
        requireRate("leadsPerDay", leadsPerDay);
        requireShare("emergencyShare", emergencyShare);
        requireShare("expeditedShare", expeditedShare);
        requireShare("lateDispatchShare", lateDispatchShare);
        requireShare("returnShare", returnShare);
        requireShare("reopenShare", reopenShare);
        requireShare("leadValidShare", leadValidShare);
        requireShare("leadRepostShare", leadRepostShare);
        requireShare("leadLocatedShare", leadLocatedShare);
    }

    /** Shenzhen-like defaults (first-dispatch success 98%, ~4% of leads valid). */
    static SimulationSettings defaults(ZoneId zone) {
        return new SimulationSettings(
                zone,
                DEFAULT_TICKETS_PER_HOUR,
                DEFAULT_LEADS_PER_DAY,
                0.03,
                0.02,
                0.03,
                0.02,
                0.03,
                0.04,
                0.12,
                0.80);
    }

    SimulationSettings withRates(double ticketsPerHour, double leadsPerDay) {
        return new SimulationSettings(
                zone,
                ticketsPerHour,
                leadsPerDay,
                emergencyShare,
                expeditedShare,
                lateDispatchShare,
                returnShare,
                reopenShare,
                leadValidShare,
                leadRepostShare,
                leadLocatedShare);
    }

    SimulationSettings withTicketShares(
            double emergencyShare,
            double expeditedShare,
            double lateDispatchShare,
            double returnShare,
            double reopenShare) {
        return new SimulationSettings(
                zone,
                ticketsPerHour,
                leadsPerDay,
                emergencyShare,
                expeditedShare,
                lateDispatchShare,
                returnShare,
                reopenShare,
                leadValidShare,
                leadRepostShare,
                leadLocatedShare);
    }

    SimulationSettings withLeadShares(
            double leadValidShare, double leadRepostShare, double leadLocatedShare) {
        return new SimulationSettings(
                zone,
                ticketsPerHour,
                leadsPerDay,
                emergencyShare,
                expeditedShare,
                lateDispatchShare,
                returnShare,
                reopenShare,
                leadValidShare,
                leadRepostShare,
                leadLocatedShare);
    }

    private static void requireRate(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0: " + value);
        }
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
        }
    }
}
