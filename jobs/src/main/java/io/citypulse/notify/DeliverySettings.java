package io.citypulse.notify;

import java.io.Serializable;
import java.time.Duration;

/**
 * How deliveries are attempted.
 *
 * @param maxAttempts attempts per delivery, the first included
 * @param initialBackoff base of the exponential backoff
 * @param maxBackoff cap of a single wait between attempts (also caps Retry-After)
 * @param requestTimeout one attempt: connect, send, and the whole response
 * @param perEndpointConcurrency requests in flight at once per endpoint (host:port+path), per
 *     subtask
 * @param asyncCapacity deliveries in flight per subtask (the async operator's capacity)
 */
public record DeliverySettings(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        int perEndpointConcurrency,
        int asyncCapacity)
        implements Serializable {

    /** Slack per attempt on top of the request timeout: scheduling, the timeout firing late. */
    static final Duration ATTEMPT_SLACK = Duration.ofSeconds(1);

    public DeliverySettings {
        positive("--max-attempts", maxAttempts);
        positive("--per-endpoint-concurrency", perEndpointConcurrency);
        positive("--async-capacity", asyncCapacity);
        positive("--initial-backoff", initialBackoff);
        positive("--max-backoff", maxBackoff);
        positive("--request-timeout", requestTimeout);
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("--initial-backoff must not exceed --max-backoff");
        }
    }

    public Backoff backoff() {
        return new Backoff(initialBackoff, maxBackoff);
    }

    /**
     * The longest one delivery can take: every attempt may first wait for a permit behind every
     * other delivery in flight on its subtask (at most {@code ceil(capacity / concurrency)} rounds
     * of one request timeout each, since waits between attempts hold no permit), then take a full
     * request timeout; between attempts it waits at most {@code maxBackoff}.
     */
    public Duration retryBudget() {
        long rounds = (asyncCapacity + perEndpointConcurrency - 1) / perEndpointConcurrency;
        Duration attempt = requestTimeout.plus(ATTEMPT_SLACK);
        return attempt.multipliedBy((rounds + 1) * maxAttempts)
                .plus(maxBackoff.multipliedBy(maxAttempts - 1L));
    }

    /**
     * The async operator's timeout: above the retry budget, so it only fires if something is broken
     * (a lost callback); it then yields a FailedDelivery, never a job failure.
     */
    public Duration asyncTimeout() {
        return retryBudget().plus(Duration.ofMinutes(1));
    }

    private static void positive(String option, long n) {
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + n);
        }
    }

    private static void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be longer than 0");
        }
    }
}
