package io.citypulse.tools.importcsv;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A row of a lead export (posts found on internet platforms) to lead events: CAPTURED; then
 * VERIFIED_VALID or VERIFIED_INVALID when the outcome says so (PENDING or empty: not yet verified);
 * then CONVERTED, carrying the ticket id, when the row names the ticket it became.
 *
 * <p>Missing step times fall back to the previous step's (verified at capture, converted at
 * verification): exports often keep only the capture time, and the lifecycle is still worth
 * counting. A conversion of a lead not verified valid is contradictory and rejected. Without a
 * fingerprint column, each lead's fingerprint is {@code <source>:<leadId>} (no cross-platform
 * de-duplication is then possible); without a confidence column, 1.0 (a person classified it).
 */
final class LeadConverter implements RowConverter {

    static final List<String> LIFECYCLE = List.of("captured", "verified", "converted");

    private final Mapping mapping;

    LeadConverter(Mapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public Converted convert(Row row) throws RowRejected {
        RowValues values = RowValues.read(mapping, row, LIFECYCLE);
        String leadId = values.get("leadId");
        String outcome = values.get("outcome");
        String ticketId = values.get("ticketId");
        if (ticketId != null && !"VALID".equals(outcome)) {
            throw new RowRejected(
                    "converted-not-valid",
                    "converted to ticket "
                            + ticketId
                            + " but the outcome is "
                            + (outcome == null ? "empty" : outcome));
        }
        if (ticketId == null && values.time("converted") != null) {
            throw new RowRejected("converted-without-ticket", "a conversion time but no ticket id");
        }
        String fingerprint = values.get("contentFingerprint");
        String confidence = values.get("classifierConfidence");
        String engagement = values.get("engagement");
        LeadEvent.Builder lead =
                LeadEvent.newBuilder()
                        .setLeadId(leadId)
                        .setPlatform(values.get("platform"))
                        .setCategoryCode(values.get("categoryCode"))
                        .setCategoryMajor(values.get("categoryMajor"))
                        .setClassifierConfidence(
                                confidence == null ? 1.0f : Float.parseFloat(confidence))
                        .setDistrict(values.get("district"))
                        .setContentFingerprint(
                                fingerprint == null ? mapping.source() + ":" + leadId : fingerprint)
                        .setTicketId(null)
                        .setEngagement(engagement == null ? null : Long.parseLong(engagement));
        List<SpecificRecord> events = new ArrayList<>(3);
        long captured = values.time("captured");
        add(events, lead, LeadEventType.CAPTURED, captured);
        if (outcome != null && !outcome.equals("PENDING")) {
            Long verifiedTime = values.time("verified");
            long verified = verifiedTime == null ? captured : verifiedTime;
            add(
                    events,
                    lead,
                    outcome.equals("VALID")
                            ? LeadEventType.VERIFIED_VALID
                            : LeadEventType.VERIFIED_INVALID,
                    verified);
            if (ticketId != null) {
                Long convertedTime = values.time("converted");
                lead.setTicketId(ticketId);
                add(
                        events,
                        lead,
                        LeadEventType.CONVERTED,
                        convertedTime == null ? verified : convertedTime);
            }
        }
        return new Converted(leadId, events, values.dstGaps(), values.dstOverlaps());
    }

    private void add(
            List<SpecificRecord> events, LeadEvent.Builder lead, LeadEventType type, long time) {
        events.add(
                LeadEvent.newBuilder(lead)
                        .setEventId(RowConverter.eventId(mapping.source(), lead.getLeadId(), type))
                        .setType(type)
                        .setEventTime(Instant.ofEpochMilli(time))
                        .build());
    }
}
