package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.serde.AvroCodec;

/**
 * What the tickets source emits for each Kafka record: the decoded, valid event with where it was
 * read, or the dead letter explaining why it could not be used. Exactly one of {@link #event} and
 * {@link #rejected} is set. Keeping bad records in the stream (instead of throwing) is what keeps
 * the job alive and makes every rejection visible downstream.
 */
public class TicketEnvelope {

    /** The decoded event, or null for a rejected record. */
    public TicketEvent event;

    /** Why the record was rejected, or null for a good one. */
    public DeadLetter rejected;

    public String topic;
    public int partition;
    public long offset;

    public TicketEnvelope() {}

    public static TicketEnvelope accepted(
            TicketEvent event, String topic, int partition, long offset) {
        TicketEnvelope e = new TicketEnvelope();
        e.event = event;
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        return e;
    }

    public static TicketEnvelope rejected(DeadLetter deadLetter) {
        TicketEnvelope e = new TicketEnvelope();
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
     * "TYPE of ticket ID: detail", where it was read, and the event re-encoded as the payload.
     */
    public DeadLetter deadLetter(
            String job, String reason, String detail, AvroCodec<TicketEvent> codec) {
        return DeadLetters.of(
                job,
                reason,
                event.getType() + " of ticket " + event.getTicketId() + ": " + detail,
                topic,
                partition,
                offset,
                event.getEventId(),
                event.getEventTime(),
                codec.encode(event));
    }
}
