package io.citypulse.hotspot.functions;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.kafka.DeadLetters;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * An event that arrived after its window closed (past the allowed lateness) cannot update the
 * table; it becomes a dead letter with reason {@code LATE} instead of vanishing. The payload is the
 * event re-encoded with the current schema.
 */
public final class LateToDeadLetter extends RichMapFunction<TicketEnvelope, DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private transient AvroCodec<TicketEvent> codec;

    public LateToDeadLetter(String job) {
        this.job = job;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = AvroCodec.forType(TicketEvent.class);
    }

    @Override
    public DeadLetter map(TicketEnvelope late) {
        TicketEvent e = late.event;
        return DeadLetters.of(
                job,
                "LATE",
                "event time " + e.getEventTime() + " is behind the watermark past allowed lateness",
                late.topic,
                late.partition,
                late.offset,
                e.getEventId(),
                e.getEventTime(),
                codec.encode(e));
    }
}
