package io.citypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.common.Args;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.testutils.Tickets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AlertJob#defineWorkflow} on a MiniCluster (RocksDB, two subtasks): its lifecycle gates see
 * only the events its signals use (tickets CREATED and DISPATCHED, leads CAPTURED). Hand-worked: a
 * DISPATCHED and a RESOLVED of tickets never created, and a VERIFIED_VALID of a lead never
 * captured. The DISPATCHED is used, so it waits for its CREATED and becomes an {@code
 * UNKNOWN_TICKET} dead letter when the final watermark passes it; the other two are steps alerts
 * does not use, which it neither gates nor reports (the {@code hotspot} and {@code sla} jobs, which
 * count them, report them). A whole ticket's life and a captured lead pass without a dead letter.
 */
class AlertWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Instant AT = Tickets.BEGINNING;

    /**
     * (ticket id, type, minutes after {@link #AT}), in time order: each source subtask reads a
     * range of it, and an event behind its own subtask's watermark would be {@code LATE} (alerts
     * allows no lateness).
     */
    private static final Object[][] TICKETS = {
        {"t-whole", TicketEventType.CREATED, 0},
        {"t-whole", TicketEventType.DISPATCHED, 5},
        {"t-never-created-dispatched", TicketEventType.DISPATCHED, 10},
        {"t-never-created-resolved", TicketEventType.RESOLVED, 15},
        {"t-whole", TicketEventType.ACCEPTED, 20},
        {"t-whole", TicketEventType.RESOLVED, 90},
        {"t-whole", TicketEventType.CLOSED, 100},
    };

    /** (lead id, type, minutes after {@link #AT}), in time order. */
    private static final Object[][] LEADS = {
        {"l-captured", LeadEventType.CAPTURED, 1},
        {"l-never-captured", LeadEventType.VERIFIED_VALID, 12},
        {"l-captured", LeadEventType.VERIFIED_VALID, 30},
    };

    private static final class TicketAt implements GeneratorFunction<Long, TicketEnvelope> {
        @Override
        public TicketEnvelope map(Long index) {
            Object[] spec = TICKETS[index.intValue()];
            TicketEvent event =
                    TicketEvent.newBuilder()
                            .setEventId(spec[0] + "#" + spec[1])
                            .setTicketId((String) spec[0])
                            .setType((TicketEventType) spec[1])
                            .setEventTime(AT.plusSeconds(60L * (Integer) spec[2]))
                            .setChannel("HOTLINE")
                            .setCategoryCode("NOISE-CONSTRUCTION")
                            .setCategoryMajor("NOISE")
                            .setDistrict("Futian")
                            .setAgency("Futian Urban Management")
                            .setUrgency(Urgency.GENERAL)
                            .build();
            return TicketEnvelope.accepted(event, "tickets", 0, index);
        }
    }

    private static final class LeadAt implements GeneratorFunction<Long, LeadEnvelope> {
        @Override
        public LeadEnvelope map(Long index) {
            Object[] spec = LEADS[index.intValue()];
            LeadEvent event =
                    LeadEvent.newBuilder()
                            .setEventId(spec[0] + "#" + spec[1])
                            .setLeadId((String) spec[0])
                            .setType((LeadEventType) spec[1])
                            .setEventTime(AT.plusSeconds(60L * (Integer) spec[2]))
                            .setPlatform("WEIBO")
                            .setCategoryCode("NOISE-CONSTRUCTION")
                            .setCategoryMajor("NOISE")
                            .setDistrict("Futian")
                            .setContentFingerprint("fp-" + spec[0])
                            .build();
            return LeadEnvelope.accepted(event, "leads", 0, index);
        }
    }

    @Test
    @Timeout(120)
    void shouldGateAndReportOnlyTheEventsItsSignalsUse() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("parallelism.default", "2");
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        AlertConfig config = AlertConfig.from(Args.parse(new String[0], Map.of()));

        AlertJob.Outputs outputs =
                AlertJob.defineWorkflow(
                        env,
                        new DataGeneratorSource<>(
                                new TicketAt(),
                                TICKETS.length,
                                TypeInformation.of(TicketEnvelope.class)),
                        new DataGeneratorSource<>(
                                new LeadAt(), LEADS.length, TypeInformation.of(LeadEnvelope.class)),
                        config);
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        env.execute("alerts-minicluster-test");

        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        assertThat(letters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getReason()).isEqualTo("UNKNOWN_TICKET");
                            assertThat(d.getJob()).isEqualTo("alerts");
                            assertThat(d.getDetail()).contains("no birth event");
                        });
    }
}
