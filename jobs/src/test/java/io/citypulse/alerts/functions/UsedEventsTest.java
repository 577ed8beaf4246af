package io.citypulse.alerts.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEventType;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.testutils.Tickets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

/**
 * The alerts job's gates see only the events its signal functions use ({@link TicketSignals.Used},
 * {@link LeadSignals.Used}). A filter that dropped an event type the signals use would lose alerts
 * silently, and one that kept every type would only cost time: so each filter must keep exactly the
 * types its function turns into a signal, checked type by type against the function itself.
 */
class UsedEventsTest {

    private static final Instant AT = Tickets.BEGINNING;

    @Test
    void theTicketFilterKeepsExactlyTheTypesThatBecomeSignals() throws Exception {
        Set<TicketEventType> signalling = EnumSet.noneOf(TicketEventType.class);
        Set<TicketEventType> kept = EnumSet.noneOf(TicketEventType.class);
        for (TicketEventType type : TicketEventType.values()) {
            TicketEnvelope envelope =
                    Tickets.envelope(Tickets.event(type, AT, "ENV-NOISE", "Futian"));
            List<Signal> signals = new ArrayList<>();
            new TicketSignals().flatMap(envelope, new ListCollector<>(signals));
            if (!signals.isEmpty()) {
                signalling.add(type);
            }
            if (new TicketSignals.Used().filter(envelope)) {
                kept.add(type);
            }
        }
        assertThat(kept).isEqualTo(signalling);
        // The domain's reading: CREATED counts, DISPATCHED names the agency, nothing else is used.
        assertThat(kept)
                .containsExactlyInAnyOrder(TicketEventType.CREATED, TicketEventType.DISPATCHED);
    }

    @Test
    void theLeadFilterKeepsExactlyTheTypesThatBecomeSignals() throws Exception {
        Set<LeadEventType> signalling = EnumSet.noneOf(LeadEventType.class);
        Set<LeadEventType> kept = EnumSet.noneOf(LeadEventType.class);
        long offset = 0;
        for (LeadEventType type : LeadEventType.values()) {
            LeadEnvelope envelope = LeadEnvelope.accepted(lead(type), "leads", 0, offset++);
            List<Signal> signals = new ArrayList<>();
            new LeadSignals().flatMap(envelope, new ListCollector<>(signals));
            if (!signals.isEmpty()) {
                signalling.add(type);
            }
            if (new LeadSignals.Used().filter(envelope)) {
                kept.add(type);
            }
        }
        assertThat(kept).isEqualTo(signalling);
        assertThat(kept).containsExactly(LeadEventType.CAPTURED);
    }

    private static LeadEvent lead(LeadEventType type) {
        return LeadEvent.newBuilder()
                .setEventId("le-" + type)
                .setLeadId("l-1")
                .setType(type)
                .setEventTime(AT)
                .setPlatform("WEIBO")
                .setCategoryCode("ENV-NOISE")
                .setCategoryMajor("ENV")
                .setDistrict("Futian")
                .setContentFingerprint("fp-1")
                .build();
    }
}
