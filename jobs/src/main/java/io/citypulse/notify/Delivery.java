package io.citypulse.notify;

/**
 * One message to send: one alert record for one matching subscriber, with its body already
 * rendered. The async delivery operator holds these in its checkpointed state while in flight, so
 * after a failure they are sent again: receivers deduplicate by {@link #idempotencyKey}.
 */
public class Delivery {

    public String alertId;
    public String state;
    public int revision;
    public String subscriber;

    /** {@code host:port+path} of the subscriber's endpoint: the key deliveries are spread by. */
    public String endpointKey;

    /** {@code <alertId>:<state>:<revision>}, sent as the {@code Idempotency-Key} header. */
    public String idempotencyKey;

    /** The exact JSON sent (and signed). */
    public String body;

    public Delivery() {}

    public static String idempotencyKey(String alertId, String state, int revision) {
        return alertId + ":" + state + ":" + revision;
    }

    @Override
    public String toString() {
        return "Delivery{" + idempotencyKey + " -> " + subscriber + "}";
    }
}
