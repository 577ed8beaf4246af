package io.citypulse.kafka;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one watermark strategy per stream, attached at the source: bounded out-of-orderness (events
 * of one partition may arrive shuffled within that span) and idleness, so a partition that has gone
 * quiet does not hold back the watermark of the whole job.
 */
public final class Watermarks {

    private Watermarks() {}

    public static WatermarkStrategy<TicketEnvelope> tickets(
            Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<TicketEnvelope>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((envelope, kafkaTimestamp) -> envelope.eventTimeMillis())
                .withIdleness(idleness);
    }
}
