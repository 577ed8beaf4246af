package io.citypulse.kafka;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one watermark strategy per stream, attached at the source: bounded out-of-orderness (events
 * of one partition may arrive shuffled within that span), moved in-band every minute of event time
 * ({@link SteppedWatermarks}), and idleness, so a partition that has gone quiet does not hold back
 * the watermark of the whole job.
 */
public final class Watermarks {

    /** How far event time advances between in-band watermarks. */
    static final long STEP_MS = Duration.ofMinutes(1).toMillis();

    private Watermarks() {}

    public static WatermarkStrategy<TicketEnvelope> tickets(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<TicketEnvelope>forGenerator(
                        ctx -> new SteppedWatermarks<>(outOfOrderness.toMillis(), STEP_MS))
                .withTimestampAssigner((envelope, kafkaTimestamp) -> envelope.eventTimeMillis())
                .withIdleness(idleness);
    }

    public static WatermarkStrategy<LeadEnvelope> leads(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<LeadEnvelope>forGenerator(
                        ctx -> new SteppedWatermarks<>(outOfOrderness.toMillis(), STEP_MS))
                .withTimestampAssigner((envelope, kafkaTimestamp) -> envelope.eventTimeMillis())
                .withIdleness(idleness);
    }
}
