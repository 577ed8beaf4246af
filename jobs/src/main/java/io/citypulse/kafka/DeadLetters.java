package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter} records: one place that decides what a dead letter holds. */
public final class DeadLetters {

    private DeadLetters() {}

    public static DeadLetter of(
            String job,
            String reason,
            String detail,
            String topic,
            int partition,
            long offset,
            String eventId,
            Instant eventTime,
            byte[] payload) {
        return DeadLetter.newBuilder()
                .setJob(job)
                .setReason(reason)
                .setDetail(detail == null ? "" : detail)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setEventId(eventId)
                .setEventTime(eventTime)
                .setRejectedAt(Instant.now())
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .build();
    }
}
