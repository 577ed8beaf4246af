package io.citypulse.notify;

import java.time.Instant;

/**
 * A delivery given up on: after the last attempt, on a permanent failure (4xx other than 408/429, a
 * robot's non-retryable {@code errcode}), or when the async operator's timeout fired. Written to
 * Kafka {@code notify-failures} as one JSON object per record, keyed by {@code
 * <idempotencyKey>/<subscriber>}, and logged at WARN. Holds no secret and no query string.
 */
public class FailedDelivery {

    public String alertId;
    public String state;
    public int revision;
    public String subscriber;
    public String idempotencyKey;
    public String endpoint;
    public int attempts;

    /** HTTP status of the last response, or 0 when the last attempt got none. */
    public int lastStatus;

    public String lastReason;

    /** When it was given up on, epoch ms and ISO-8601 (UTC). */
    public long failedAt;

    public String failedAtIso;

    public FailedDelivery() {}

    public static FailedDelivery of(DeliveryOutcome o) {
        FailedDelivery f = new FailedDelivery();
        f.alertId = o.alertId;
        f.state = o.state;
        f.revision = o.revision;
        f.subscriber = o.subscriber;
        f.idempotencyKey = o.idempotencyKey;
        f.endpoint = o.endpoint;
        f.attempts = o.attempts;
        f.lastStatus = o.status;
        f.lastReason = o.reason;
        f.failedAt = o.finishedAt;
        f.failedAtIso = Instant.ofEpochMilli(o.finishedAt).toString();
        return f;
    }

    @Override
    public String toString() {
        return "FailedDelivery{"
                + idempotencyKey
                + " -> "
                + subscriber
                + " ("
                + endpoint
                + "), attempts="
                + attempts
                + ", lastStatus="
                + lastStatus
                + ", lastReason="
                + lastReason
                + "}";
    }
}
