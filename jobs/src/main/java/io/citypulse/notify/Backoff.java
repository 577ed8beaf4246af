package io.citypulse.notify;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry {@code n} (0 for the first retry) wait a
 * uniformly random time in {@code [0, min(max, initial * 2^n)]}. Full jitter spreads the retries of
 * many deliveries that failed together (a receiver restarting) instead of sending them back in
 * lock-step waves. A {@code Retry-After} from the receiver raises the wait to at least that long,
 * but never beyond {@code max}, so the total retry budget stays bounded (see {@link
 * DeliverySettings#retryBudget()}).
 */
public final class Backoff implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long initialMillis;
    private final long maxMillis;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The upper bound of the wait before retry {@code n}: {@code min(max, initial * 2^n)}. */
    public long ceilingMillis(int retry) {
        if (retry >= 62 || initialMillis > (maxMillis >> Math.min(retry, 62))) {
            return maxMillis;
        }
        return Math.min(maxMillis, initialMillis << retry);
    }

    /**
     * The wait before retry {@code n}.
     *
     * @param retryAfterMillis the receiver's Retry-After, or a negative number when it sent none
     * @param random uniform in [0, 1)
     */
    public long delayMillis(int retry, long retryAfterMillis, DoubleSupplier random) {
        long jittered = (long) Math.floor(random.getAsDouble() * (ceilingMillis(retry) + 1));
        long delay = Math.min(jittered, ceilingMillis(retry));
        if (retryAfterMillis >= 0) {
            delay = Math.max(delay, Math.min(retryAfterMillis, maxMillis));
        }
        return delay;
    }
}
