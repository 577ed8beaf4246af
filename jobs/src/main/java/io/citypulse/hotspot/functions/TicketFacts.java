package io.citypulse.hotspot.functions;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.Urgency;
import io.citypulse.counts.CountFact;
import io.citypulse.kafka.TicketEnvelope;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A ticket event as a {@link CountFact}: key (categoryMajor, categoryCode, district, agency,
 * channel) and the measures it counts. CREATED also counts as emergency and/or expedited when the
 * ticket is; agency is empty until the ticket is dispatched.
 */
public final class TicketFacts implements MapFunction<TicketEnvelope, CountFact> {

    private static final long serialVersionUID = 1L;

    /** Measure names in bit order: the count columns of the ticket_counts tables. */
    public static final List<String> MEASURES =
            List.of(
                    "created",
                    "emergency",
                    "expedited",
                    "dispatched",
                    "returned",
                    "accepted",
                    "resolved",
                    "closed",
                    "reopened");

    /** Dimension names in key order: the dimension columns of the ticket_counts tables. */
    public static final List<String> DIMENSIONS =
            List.of("category_major", "category_code", "district", "agency", "channel");

    @Override
    public CountFact map(TicketEnvelope envelope) {
        TicketEvent e = envelope.event;
        String key =
                CountFact.key(
                        e.getCategoryMajor(),
                        e.getCategoryCode(),
                        e.getDistrict(),
                        e.getAgency(),
                        e.getChannel());
        return new CountFact(key, e.getEventTime().toEpochMilli(), measures(e));
    }

    static int measures(TicketEvent e) {
        switch (e.getType()) {
            case CREATED:
                int m = 1;
                if (e.getUrgency() == Urgency.EMERGENCY) {
                    m |= 1 << 1;
                }
                if (e.getExpedited()) {
                    m |= 1 << 2;
                }
                return m;
            case DISPATCHED:
                return 1 << 3;
            case RETURNED:
                return 1 << 4;
            case ACCEPTED:
                return 1 << 5;
            case RESOLVED:
                return 1 << 6;
            case CLOSED:
                return 1 << 7;
            case REOPENED:
                return 1 << 8;
            default:
                return 0;
        }
    }
}
