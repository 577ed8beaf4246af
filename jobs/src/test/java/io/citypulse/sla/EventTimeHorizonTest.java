package io.citypulse.sla;

import static io.citypulse.sla.TicketScript.minutes;
import static io.citypulse.sla.TicketScript.ticket;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.common.EventTimeHorizon;
import io.citypulse.kafka.DeadLetters;
import io.citypulse.kafka.TicketEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EventTimeHorizonTest {

    /** How SlaJob feeds the horizon: accepted envelopes by event time, rejected ones ignored. */
    private static final EventTimeHorizon.EventTime<TicketEnvelope> HORIZON_OF =
            e -> e.isAccepted() ? e.eventTimeMillis() : EventTimeHorizon.IGNORE;

    private static List<Object> emitted(OneInputStreamOperatorTestHarness<?, Long> h) {
        List<Object> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            out.add(o instanceof StreamRecord<?> r ? r.getValue() : o);
        }
        return out;
    }

    @Test
    void shouldEmitTheLatestEventTimeJustBeforeTheFinalWatermarkAndNotBefore() throws Exception {
        TicketScript t = ticket("T");
        DeadLetter garbage = DeadLetters.of("sla", "X", "", "tickets", 0, 9, null, null, null);
        try (OneInputStreamOperatorTestHarness<TicketEnvelope, Long> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EventTimeHorizon<TicketEnvelope>(HORIZON_OF))) {
            h.open();
            h.processElement(t.created(minutes(5)), minutes(5));
            h.processElement(t.dispatched(minutes(9), "U"), minutes(9));
            h.processElement(t.accepted(minutes(7), "U"), minutes(7));
            h.processElement(TicketEnvelope.rejected(garbage), 0);
            h.processWatermark(minutes(8));
            assertThat(emitted(h)).containsExactly(new Watermark(minutes(8)));

            h.processWatermark(Long.MAX_VALUE);
            assertThat(emitted(h))
                    .containsExactly(
                            new Watermark(minutes(8)), minutes(9), Watermark.MAX_WATERMARK);
        }
    }

    @Test
    void shouldRememberTheLatestEventTimeAcrossARestore() throws Exception {
        TicketScript t = ticket("T");
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<TicketEnvelope, Long> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EventTimeHorizon<TicketEnvelope>(HORIZON_OF))) {
            h.open();
            h.processElement(t.created(minutes(30)), minutes(30));
            snapshot = h.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<TicketEnvelope, Long> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EventTimeHorizon<TicketEnvelope>(HORIZON_OF))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(t.dispatched(minutes(10), "U"), minutes(10));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(emitted(h)).containsExactly(minutes(30), Watermark.MAX_WATERMARK);
        }
    }

    @Test
    void shouldEmitNothingButTheWatermarkWhenItSawNoEvent() throws Exception {
        try (OneInputStreamOperatorTestHarness<TicketEnvelope, Long> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EventTimeHorizon<TicketEnvelope>(HORIZON_OF))) {
            h.open();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(emitted(h)).containsExactly(Watermark.MAX_WATERMARK);
        }
    }
}
