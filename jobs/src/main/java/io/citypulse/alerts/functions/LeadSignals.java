package io.citypulse.alerts.functions;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.kafka.LeadEnvelope;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Lead events as {@link Signal}s: each CAPTURED lead counts, with its content fingerprint as
 * evidence (reposts of one post share it). Verification steps do not matter to early warning: a
 * surge of posts is the signal, whether or not each is later verified.
 */
public final class LeadSignals implements FlatMapFunction<LeadEnvelope, Signal> {

    private static final long serialVersionUID = 1L;

    /** Whether this function turns a lead event of {@code type} into a signal. */
    public static boolean uses(LeadEventType type) {
        return type == LeadEventType.CAPTURED;
    }

    /** The lead events this function uses ({@link #uses}), for the gate in front of it. */
    public static final class Used implements FilterFunction<LeadEnvelope> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(LeadEnvelope envelope) {
            return uses(envelope.event.getType());
        }
    }

    @Override
    public void flatMap(LeadEnvelope envelope, Collector<Signal> out) {
        LeadEvent e = envelope.event;
        if (uses(e.getType())) {
            out.collect(
                    new Signal(
                            Signal.LEAD_CAPTURED,
                            e.getEventTime().toEpochMilli(),
                            e.getCategoryMajor(),
                            e.getCategoryCode(),
                            e.getDistrict(),
                            e.getContentFingerprint()));
        }
    }
}
