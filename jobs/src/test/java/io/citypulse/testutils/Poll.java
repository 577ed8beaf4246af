package io.citypulse.testutils;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a condition that another thread or process makes true (rows a job stores in ClickHouse,
 * offsets a consumer group commits): asks again every {@code interval} until it holds, and fails
 * the test once {@code timeout} has passed. The one place the tests wait on something outside them;
 * never a fixed sleep standing in for the condition.
 */
public final class Poll {

    /** A condition that may need I/O to answer. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {}

    /**
     * Returns once {@code condition} holds; throws an {@link AssertionError} with {@code what}
     * (read at the time of failure, so it can report the last state seen) after {@code timeout}.
     */
    public static void until(
            Duration timeout, Duration interval, Supplier<String> what, Condition condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what.get() + " (waited " + timeout + ")");
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** As {@link #until(Duration, Duration, Supplier, Condition)}, with a fixed description. */
    public static void until(Duration timeout, Duration interval, String what, Condition condition)
            throws Exception {
        until(timeout, interval, () -> what, condition);
    }
}
