package io.citypulse.notify;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * At most {@code permits} requests in flight to one endpoint; the rest wait in arrival order.
 *
 * <p>A counting semaphore, but non-blocking: a waiting request is a queued task, not a parked
 * thread. {@link java.util.concurrent.Semaphore#acquire()} would park one thread per waiting
 * request, and the async function must never block Flink's task thread. Tasks run on {@code
 * executor}.
 */
final class EndpointGate {

    private final int permits;
    private final Executor executor;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inUse;

    EndpointGate(int permits, Executor executor) {
        this.permits = permits;
        this.executor = executor;
    }

    /** Runs {@code task} once a permit is free; the task must call {@link #release()} when done. */
    void acquire(Runnable task) {
        synchronized (this) {
            if (inUse >= permits) {
                waiting.add(task);
                return;
            }
            inUse++;
        }
        executor.execute(task);
    }

    /** Returns a permit, handing it straight to the next waiting task if there is one. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
                return;
            }
        }
        executor.execute(next);
    }

    synchronized int inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
