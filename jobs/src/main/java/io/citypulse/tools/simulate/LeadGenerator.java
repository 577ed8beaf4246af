package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Leads (未诉先办): posts about local problems spotted on internet platforms, one simulated hour at a
 * time.
 *
 * <p>A post arrives (Poisson, with the online day's rhythm) and is captured as a lead on the
 * platform it appeared on; some posts are also seen on one to three other platforms, a while later,
 * and every capture is a lead of its own sharing the post's {@code contentFingerprint}. Each lead
 * is CAPTURED, then VERIFIED_VALID or VERIFIED_INVALID; only the first capture of a post can be
 * valid (later ones are discarded as duplicates). A valid lead is CONVERTED to a ticket, created at
 * the conversion time, with channel LEAD and {@code sourceLeadId} set, whose lifecycle comes from
 * {@link TicketGenerator}. The converted ticket is placed in the district the problem is in, which
 * the verifier establishes even when the post did not name it.
 *
 * <p>The chance that a post is valid is scaled up by the expected captures per post, so that the
 * share of valid leads among all leads is {@link SimulationSettings#leadValidShare()}.
 *
 * <p>A lead-driven incident adds posts of its scope ({@link #generateIncidentHour}) from its lead
 * start on, with their own random streams; they are ordinary posts in every other way (reposts,
 * validity, conversion).
 */
final class LeadGenerator {

    static final long ARRIVAL_STREAM = 0x1EAD5001L;
    static final long POST_STREAM = 0x1EAD5002L;
    static final long INCIDENT_ARRIVAL_STREAM = 0x1EAD5003L;
    static final long INCIDENT_POST_STREAM = 0x1EAD5004L;

    /** A reposted post is seen on 1 to this many other platforms (uniformly). */
    private static final int MAX_EXTRA_PLATFORMS = 3;

    private static final double MEAN_EXTRA_PLATFORMS = (1 + MAX_EXTRA_PLATFORMS) / 2.0;
    private static final double REPOST_GAP_MEAN_MINUTES = 60;
    private static final double VERIFY_MEDIAN_MINUTES = 40;
    private static final double CONVERT_MEDIAN_MINUTES = 15;
    private static final double ENGAGEMENT_UNKNOWN_SHARE = 0.1;
    private static final double INVALID_ENGAGEMENT_MEDIAN = 150;
    private static final double VALID_ENGAGEMENT_MEDIAN = 450;

    private final long seed;
    private final SimulationSettings settings;
    private final Places places;
    private final CategoryMix categories;
    private final WeightedChoice<String> platforms;
    private final ArrivalProcess arrivals;
    private final TicketGenerator tickets;

    LeadGenerator(
            long seed,
            CityModel city,
            Catalogue catalogue,
            SimulationSettings settings,
            TicketGenerator tickets) {
        if (city.platformWeights().size() <= MAX_EXTRA_PLATFORMS) {
            throw new IllegalArgumentException(
                    "need more than " + MAX_EXTRA_PLATFORMS + " platforms for reposts");
        }
        this.seed = seed;
        this.settings = settings;
        this.places = new Places(city);
        this.categories = new CategoryMix(catalogue, city.leadMajorWeights());
        this.platforms = WeightedChoice.of(city.platformWeights());
        this.arrivals =
                new ArrivalProcess(city.leadArrivals(), settings.zone(), settings.holidays());
        this.tickets = tickets;
    }

    private double capturesPerPost() {
        return 1 + settings.leadRepostShare() * MEAN_EXTRA_PLATFORMS;
    }

    private double postsPerHour() {
        return settings.leadsPerDay() / 24 / capturesPerPost();
    }

    private double validChance() {
        return Math.min(1, settings.leadValidShare() * capturesPerPost());
    }

    /**
     * Generates the posts first captured in one UTC hour; only those first captured in [{@code
     * fromMs}, {@code toMs}) are kept (with all their reposts), and events at or after {@code
     * horizonMs} are left out.
     */
    void generateHour(long epochHour, long fromMs, long toMs, long horizonMs, EventCollector out) {
        long hourStart = epochHour * 3_600_000L;
        String label = Ids.hourLabel(epochHour);
        double validChance = validChance();
        Rng arrivalRng = Rng.derive(seed, ARRIVAL_STREAM, epochHour);
        long[] postTimes =
                arrivals.arrivals(arrivalRng, hourStart, hourStart + 3_600_000L, postsPerHour());
        // Posts and leads are numbered over the whole hour, kept or not, so a window that starts
        // or ends inside the hour keeps the same ids and random streams.
        int leadsSoFar = 0;
        for (int post = 1; post <= postTimes.length; post++) {
            Rng rng = Rng.derive(seed, POST_STREAM, epochHour, post);
            int extra = reposts(rng);
            int firstLead = leadsSoFar + 1;
            leadsSoFar += 1 + extra;
            long posted = postTimes[post - 1];
            if (posted >= fromMs && posted < toMs) {
                CatalogueItem item = categories.pick(rng);
                Post p = post(rng, label, 0, firstLead, item, null, validChance);
                captures(p, extra, posted, epochHour, rng, horizonMs, out);
            }
        }
    }

    /**
     * Generates the extra posts of incident number {@code ordinal} first captured in one UTC hour,
     * inside [{@code fromMs}, {@code toMs}) (the caller intersects the lead surge's and the run's
     * windows).
     */
    void generateIncidentHour(
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
        String label = Ids.hourLabel(epochHour);
        Rng arrivalRng = Rng.derive(seed, INCIDENT_ARRIVAL_STREAM, ordinal, epochHour);
        long[] postTimes =
                arrivals.arrivals(arrivalRng, from, to, extraPostsPerHour(incident, fixedItem));
        double validChance = validChance();
        int leadsSoFar = 0;
        for (int post = 1; post <= postTimes.length; post++) {
            Rng rng = Rng.derive(seed, INCIDENT_POST_STREAM, ordinal, epochHour, post);
            int extra = reposts(rng);
            int firstLead = leadsSoFar + 1;
            leadsSoFar += 1 + extra;
            CatalogueItem item =
                    fixedItem != null
                            ? fixedItem
                            : categories.pickWithin(incident.categoryMajor(), rng);
            Post p = post(rng, label, ordinal, firstLead, item, incident.district(), validChance);
            captures(p, extra, postTimes[post - 1], epochHour, rng, horizonMs, out);
        }
    }

    private double extraPostsPerHour(Incident incident, CatalogueItem fixedItem) {
        double share = categories.majorShare(incident.categoryMajor());
        if (fixedItem != null) {
            share *= categories.itemShareWithinMajor(fixedItem);
        }
        if (incident.district() != null) {
            share *= places.districtShare(incident.district());
        }
        return (incident.leadMultiplier() - 1) * postsPerHour() * share;
    }

    /** The expected number of leads (captures) the incident adds to posts in [fromMs, toMs). */
    double expectedIncidentLeads(
            Incident incident, CatalogueItem fixedItem, long fromMs, long toMs) {
        return arrivals.expectedArrivals(fromMs, toMs, extraPostsPerHour(incident, fixedItem))
                * capturesPerPost();
    }

    private int reposts(Rng rng) {
        return rng.chance(settings.leadRepostShare()) ? 1 + rng.nextInt(MAX_EXTRA_PLATFORMS) : 0;
    }

    /** The first capture of a post and {@code extra} later ones on other platforms. */
    private void captures(
            Post post,
            int extra,
            long posted,
            long epochHour,
            Rng rng,
            long horizonMs,
            EventCollector out) {
        List<String> seen = new ArrayList<>();
        long captured = posted;
        for (int k = 0; k <= extra; k++) {
            if (k > 0) {
                captured += Math.round((1 + rng.exponential(REPOST_GAP_MEAN_MINUTES)) * 60_000);
            }
            String platform = platforms.pick(rng);
            while (seen.contains(platform)) {
                platform = platforms.pick(rng);
            }
            seen.add(platform);
            capture(post, k, platform, captured, epochHour, rng, horizonMs, out);
        }
    }

    /**
     * What all captures of one post share.
     *
     * @param incident the incident's ordinal for its extra posts, 0 for ordinary ones
     * @param district the district the post names, or null
     * @param realDistrict the district the problem is in
     */
    private record Post(
            String label,
            int incident,
            int firstLead,
            CatalogueItem item,
            String district,
            String realDistrict,
            String fingerprint,
            boolean valid) {}

    private Post post(
            Rng rng,
            String label,
            int incident,
            int firstLead,
            CatalogueItem item,
            String fixedDistrict,
            double validChance) {
        District drawn = places.district(rng);
        String real = fixedDistrict != null ? fixedDistrict : drawn.name();
        String district = rng.chance(settings.leadLocatedShare()) ? real : null;
        String fingerprint = String.format("%016x", rng.nextLong());
        boolean valid = rng.chance(validChance);
        return new Post(label, incident, firstLead, item, district, real, fingerprint, valid);
    }

    private void capture(
            Post post,
            int k,
            String platform,
            long captured,
            long epochHour,
            Rng rng,
            long horizonMs,
            EventCollector out) {
        int leadNumber = post.firstLead() + k;
        String leadId =
                post.incident() == 0
                        ? Ids.leadId(post.label(), leadNumber)
                        : Ids.incidentLeadId(post.label(), post.incident(), leadNumber);
        boolean valid = post.valid() && k == 0; // later captures are duplicates
        double confidence = valid ? 0.70 + 0.29 * rng.nextDouble() : 0.30 + 0.65 * rng.nextDouble();
        Long engagement =
                rng.chance(ENGAGEMENT_UNKNOWN_SHARE)
                        ? null
                        : Math.round(
                                rng.logNormal(
                                        valid ? VALID_ENGAGEMENT_MEDIAN : INVALID_ENGAGEMENT_MEDIAN,
                                        1.6));
        LeadTemplate lead =
                new LeadTemplate(
                        leadId,
                        platform,
                        post.item(),
                        (float) (Math.round(confidence * 100) / 100.0),
                        post.district(),
                        post.fingerprint(),
                        engagement);
        long verified = captured + minutes(rng.logNormal(VERIFY_MEDIAN_MINUTES, 0.8), 2);
        long converted = verified + minutes(rng.logNormal(CONVERT_MEDIAN_MINUTES, 0.7), 1);
        lead.emit(out, 1, LeadEventType.CAPTURED, captured, null, horizonMs);
        lead.emit(
                out,
                2,
                valid ? LeadEventType.VERIFIED_VALID : LeadEventType.VERIFIED_INVALID,
                verified,
                null,
                horizonMs);
        if (!valid || converted >= horizonMs) {
            return;
        }
        String ticketId = Ids.convertedTicketId(leadId);
        lead.emit(out, 3, LeadEventType.CONVERTED, converted, ticketId, horizonMs);
        Rng ticketRng =
                post.incident() == 0
                        ? Rng.derive(
                                seed, TicketGenerator.LEAD_TICKET_STREAM, epochHour, leadNumber)
                        : Rng.derive(
                                seed,
                                TicketGenerator.LEAD_TICKET_STREAM,
                                post.incident(),
                                epochHour,
                                leadNumber);
        for (TicketEvent event :
                tickets.convertedLead(
                        leadId,
                        converted,
                        post.item(),
                        post.realDistrict(),
                        ticketRng,
                        horizonMs)) {
            out.ticket(event);
        }
    }

    /**
     * What every event of one lead carries. Events are built with the all-arguments constructor
     * (see {@code TicketLifecycle}: the Avro builder is slow); a field added to the schema breaks
     * this call at compile time.
     */
    private record LeadTemplate(
            String leadId,
            String platform,
            CatalogueItem item,
            float confidence,
            String district,
            String fingerprint,
            Long engagement) {

        void emit(
                EventCollector out,
                int position,
                LeadEventType type,
                long time,
                String ticketId,
                long horizonMs) {
            if (time >= horizonMs) {
                return;
            }
            out.lead(
                    new LeadEvent(
                            Ids.eventId(leadId, position),
                            leadId,
                            type,
                            Instant.ofEpochMilli(time),
                            platform,
                            item.code(),
                            item.major(),
                            confidence,
                            district,
                            fingerprint,
                            ticketId,
                            engagement));
        }
    }

    private static long minutes(double minutes, double floorMinutes) {
        return Math.round(Math.max(minutes, floorMinutes) * 60_000);
    }
}
