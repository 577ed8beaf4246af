package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.serde.AvroCodec;

/** The lead counterpart of {@link TicketEnvelope}: a decoded valid lead event or a dead letter. */
public class LeadEnvelope {

    public LeadEvent event;
    public DeadLetter rejected;
    public String topic;
    public int partition;
    public long offset;

    public LeadEnvelope() {}

    public static LeadEnvelope accepted(LeadEvent event, String topic, int partition, long offset) {
        LeadEnvelope e = new LeadEnvelope();
        e.event = event;
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        return e;
    }

    public static LeadEnvelope rejected(DeadLetter deadLetter) {
        LeadEnvelope e = new LeadEnvelope();
        e.rejected = deadLetter;
        e.topic = deadLetter.getSourceTopic();
        e.partition = deadLetter.getSourcePartition();
        e.offset = deadLetter.getSourceOffset();
        return e;
    }

    public boolean isAccepted() {
        return event != null;
    }

    /** Event time for watermarks; rejected records must not move the watermark. */
    public long eventTimeMillis() {
        return event == null ? Long.MIN_VALUE : event.getEventTime().toEpochMilli();
    }

    /**
     * The dead letter of this accepted event, rejected after decoding (by a gate or a window):
     * "TYPE of lead ID: detail", where it was read, and the event re-encoded as the payload.
     */
    public DeadLetter deadLetter(
            String job, String reason, String detail, AvroCodec<LeadEvent> codec) {
        return DeadLetters.of(
                job,
                reason,
                event.getType() + " of lead " + event.getLeadId() + ": " + detail,
                topic,
                partition,
                offset,
                event.getEventId(),
                event.getEventTime(),
                codec.encode(event));
    }
}
