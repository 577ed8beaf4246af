package io.citypulse.notify;

/**
 * How one {@link Delivery} ended: delivered (the receiver accepted it) or given up on (see {@link
 * FailedDelivery}). Holds no secret and no query string of the endpoint.
 */
public class DeliveryOutcome {

    public String alertId;
    public String state;
    public int revision;
    public String subscriber;
    public String idempotencyKey;

    /** Endpoint without user info, query string or fragment (robot keys live in the query). */
    public String endpoint;

    /** HTTP requests sent (0 when none could be sent). */
    public int attempts;

    /** HTTP status of the last response, or 0 when the last attempt got none. */
    public int status;

    /**
     * What happened on the last attempt, e.g. {@code HTTP 200}, {@code timeout}, {@code errcode
     * 310000}.
     */
    public String reason;

    public boolean delivered;

    /** Wall-clock time the outcome was decided, epoch ms. */
    public long finishedAt;

    public DeliveryOutcome() {}

    static DeliveryOutcome of(
            Delivery d,
            String endpoint,
            int attempts,
            int status,
            String reason,
            boolean delivered,
            long finishedAt) {
        DeliveryOutcome o = new DeliveryOutcome();
        o.alertId = d.alertId;
        o.state = d.state;
        o.revision = d.revision;
        o.subscriber = d.subscriber;
        o.idempotencyKey = d.idempotencyKey;
        o.endpoint = endpoint;
        o.attempts = attempts;
        o.status = status;
        o.reason = reason;
        o.delivered = delivered;
        o.finishedAt = finishedAt;
        return o;
    }

    @Override
    public String toString() {
        return (delivered ? "delivered " : "failed ")
                + idempotencyKey
                + " -> "
                + subscriber
                + " ("
                + endpoint
                + ") after "
                + attempts
                + " attempt(s): "
                + reason;
    }
}
