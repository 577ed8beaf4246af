package io.citypulse.tools.simulate;

import java.time.ZoneId;

/**
 * Rates and shares of one simulation run: how many tickets and leads, and how often each twist of a
 * lifecycle happens. Delay distributions are named constants next to the code that uses them
 * ({@link TicketLifecycle}, {@link LeadGenerator}); the shares here are the ones tests and checks
 * compare the output against, so they are explicit and adjustable (each has a command-line option,
 * see {@link SimulateConfig#USAGE}).
 *
 * @param zone local time zone: shapes the daily rhythm of arrivals and which days are holidays
 * @param ticketsPerHour long-run average of tickets created per hour (from citizens' channels;
 *     tickets converted from leads come on top), already multiplied by the city's scale
 * @param leadsPerDay long-run average of leads captured per day (every capture of a post counts,
 *     including the same post seen again on another platform), already scaled
 * @param emergencyShare share of tickets with urgency EMERGENCY
 * @param expeditedShare share of tickets that are expedited (加急)
 * @param lateDispatchShare share of tickets first dispatched after their deadline (30 min for
 *     emergency, 2 h for general, or the item's stricter catalogue limit)
 * @param returnShare share of tickets whose first dispatch is returned by the unit (退单) and
 *     dispatched again; 1 - this is the first-dispatch success rate
 * @param reassignShare share of returns after which the ticket is dispatched to another agency (the
 *     unit said "not ours"); the others go back to the same agency
 * @param reopenShare share of closed tickets that are reopened
 * @param leadValidShare share of captured leads verified valid (all of which are converted)
 * @param leadRepostShare share of posts that are also captured on one or more other platforms
 * @param leadLocatedShare share of leads whose post could be placed in a district
 * @param holidays days whose arrivals are scaled (none by default)
 */
record SimulationSettings(
        ZoneId zone,
        double ticketsPerHour,
        double leadsPerDay,
        double emergencyShare,
        double expeditedShare,
        double lateDispatchShare,
        double returnShare,
        double reassignShare,
        double reopenShare,
        double leadValidShare,
        double leadRepostShare,
        double leadLocatedShare,
        Holidays holidays) {

    /** Tickets per hour of a Shenzhen-size city ({@code --scale 1}): ~12,000 a day. */
    static final double DEFAULT_TICKETS_PER_HOUR = 500;

    /** Leads captured per day of a Shenzhen-size city ({@code --scale 1}). */
    static final double DEFAULT_LEADS_PER_DAY = 500;

    static final double DEFAULT_EMERGENCY_SHARE = 0.03;
    static final double DEFAULT_EXPEDITED_SHARE = 0.02;
    static final double DEFAULT_LATE_DISPATCH_SHARE = 0.03;
    static final double DEFAULT_RETURN_SHARE = 0.02;
    static final double DEFAULT_REASSIGN_SHARE = 0.5;
    static final double DEFAULT_REOPEN_SHARE = 0.03;
    static final double DEFAULT_LEAD_VALID_SHARE = 0.04;
    static final double DEFAULT_LEAD_REPOST_SHARE = 0.12;
    static final double DEFAULT_LEAD_LOCATED_SHARE = 0.80;

    SimulationSettings {
        requireRate("ticketsPerHour", ticketsPerHour);
        requireRate("leadsPerDay", leadsPerDay);
        requireShare("emergencyShare", emergencyShare);
        requireShare("expeditedShare", expeditedShare);
        requireShare("lateDispatchShare", lateDispatchShare);
        requireShare("returnShare", returnShare);
        requireShare("reassignShare", reassignShare);
        requireShare("reopenShare", reopenShare);
        requireShare("leadValidShare", leadValidShare);
        requireShare("leadRepostShare", leadRepostShare);
        requireShare("leadLocatedShare", leadLocatedShare);
        if (holidays == null) {
            throw new IllegalArgumentException("holidays must not be null (use Holidays.NONE)");
        }
    }

    /** Shenzhen-like defaults (first-dispatch success 98%, ~4% of leads valid), no holidays. */
    static SimulationSettings defaults(ZoneId zone) {
        return new SimulationSettings(
                zone,
                DEFAULT_TICKETS_PER_HOUR,
                DEFAULT_LEADS_PER_DAY,
                DEFAULT_EMERGENCY_SHARE,
                DEFAULT_EXPEDITED_SHARE,
                DEFAULT_LATE_DISPATCH_SHARE,
                DEFAULT_RETURN_SHARE,
                DEFAULT_REASSIGN_SHARE,
                DEFAULT_REOPEN_SHARE,
                DEFAULT_LEAD_VALID_SHARE,
                DEFAULT_LEAD_REPOST_SHARE,
                DEFAULT_LEAD_LOCATED_SHARE,
                Holidays.NONE);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    SimulationSettings withRates(double ticketsPerHour, double leadsPerDay) {
        return toBuilder().ticketsPerHour(ticketsPerHour).leadsPerDay(leadsPerDay).build();
    }

    SimulationSettings withTicketShares(
            double emergencyShare,
            double expeditedShare,
            double lateDispatchShare,
            double returnShare,
            double reopenShare) {
        return toBuilder()
                .emergencyShare(emergencyShare)
                .expeditedShare(expeditedShare)
                .lateDispatchShare(lateDispatchShare)
                .returnShare(returnShare)
                .reopenShare(reopenShare)
                .build();
    }

    SimulationSettings withLeadShares(
            double leadValidShare, double leadRepostShare, double leadLocatedShare) {
        return toBuilder()
                .leadValidShare(leadValidShare)
                .leadRepostShare(leadRepostShare)
                .leadLocatedShare(leadLocatedShare)
                .build();
    }

    /** Changes some settings of a copy; {@link #build()} validates. */
    static final class Builder {
        private ZoneId zone;
        private double ticketsPerHour;
        private double leadsPerDay;
        private double emergencyShare;
        private double expeditedShare;
        private double lateDispatchShare;
        private double returnShare;
        private double reassignShare;
        private double reopenShare;
        private double leadValidShare;
        private double leadRepostShare;
        private double leadLocatedShare;
        private Holidays holidays;

        private Builder(SimulationSettings s) {
            zone = s.zone;
            ticketsPerHour = s.ticketsPerHour;
            leadsPerDay = s.leadsPerDay;
            emergencyShare = s.emergencyShare;
            expeditedShare = s.expeditedShare;
            lateDispatchShare = s.lateDispatchShare;
            returnShare = s.returnShare;
            reassignShare = s.reassignShare;
            reopenShare = s.reopenShare;
            leadValidShare = s.leadValidShare;
            leadRepostShare = s.leadRepostShare;
            leadLocatedShare = s.leadLocatedShare;
            holidays = s.holidays;
        }

        Builder ticketsPerHour(double value) {
            ticketsPerHour = value;
            return this;
        }

        Builder leadsPerDay(double value) {
            leadsPerDay = value;
            return this;
        }

        Builder emergencyShare(double value) {
            emergencyShare = value;
            return this;
        }

        Builder expeditedShare(double value) {
            expeditedShare = value;
            return this;
        }

        Builder lateDispatchShare(double value) {
            lateDispatchShare = value;
            return this;
        }

        Builder returnShare(double value) {
            returnShare = value;
            return this;
        }

        Builder reassignShare(double value) {
            reassignShare = value;
            return this;
        }

        Builder reopenShare(double value) {
            reopenShare = value;
            return this;
        }

        Builder leadValidShare(double value) {
            leadValidShare = value;
            return this;
        }

        Builder leadRepostShare(double value) {
            leadRepostShare = value;
            return this;
        }

        Builder leadLocatedShare(double value) {
            leadLocatedShare = value;
            return this;
        }

        Builder holidays(Holidays value) {
            holidays = value;
            return this;
        }

        SimulationSettings build() {
            return new SimulationSettings(
                    zone,
                    ticketsPerHour,
                    leadsPerDay,
                    emergencyShare,
                    expeditedShare,
                    lateDispatchShare,
                    returnShare,
                    reassignShare,
                    reopenShare,
                    leadValidShare,
                    leadRepostShare,
                    leadLocatedShare,
                    holidays);
        }
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
