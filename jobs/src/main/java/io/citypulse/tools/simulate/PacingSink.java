package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Paces a run in (scaled) real time for live demos ({@code --speedup F}): a record whose time is t
 * is passed on no earlier than {@code wall start + (t - simulated start) / F}, so simulated time
 * advances F times faster than the wall clock (F = 1: real time; F = 60: an hour a minute). A run
 * that falls behind (a slow sink) catches up without sleeping.
 *
 * <p>The time of a record is its event time, or its delivery time when faults are on (a late event
 * then really arrives late). The clock is injected so tests can check the pacing without sleeping.
 */
final class PacingSink implements EventSink {

    /** Wall time and sleeping; {@link #SYSTEM} in production, a fake in tests. */
    interface Clock {
        Clock SYSTEM =
                new Clock() {
                    @Override
                    public long nanoTime() {
                        return System.nanoTime();
                    }

                    @Override
                    public void sleepNanos(long nanos) throws InterruptedException {
                        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                    }
                };

        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Sleeps shorter than this are skipped (the next record catches up). */
    private static final long MIN_SLEEP_NANOS = 1_000_000;

    private final EventSink out;
    private final double speedup;
    private final long simulatedStartMs;
    private final Clock clock;
    private final long wallStartNanos;

    /**
     * @param speedup simulated time per wall time, > 0
     * @param simulatedStartMs the simulated instant that corresponds to now
     */
    PacingSink(EventSink out, double speedup, long simulatedStartMs, Clock clock) {
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("speedup must be a positive number: " + speedup);
        }
        this.out = out;
        this.speedup = speedup;
        this.simulatedStartMs = simulatedStartMs;
        this.clock = clock;
        this.wallStartNanos = clock.nanoTime();
    }

    @Override
    public void ticket(TicketEvent event) throws IOException {
        pace(event.getEventTime().toEpochMilli());
        out.ticket(event);
    }

    @Override
    public void lead(LeadEvent event) throws IOException {
        pace(event.getEventTime().toEpochMilli());
        out.lead(event);
    }

    @Override
    public void deliver(Delivery delivery) throws IOException {
        pace(delivery.deliveryTimeMs());
        out.deliver(delivery);
    }

    private void pace(long simulatedMs) throws InterruptedIOException {
        long due = wallStartNanos + (long) ((simulatedMs - simulatedStartMs) * 1e6 / speedup);
        long wait = due - clock.nanoTime();
        if (wait < MIN_SLEEP_NANOS) {
            return;
        }
        try {
            clock.sleepNanos(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pacing");
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
