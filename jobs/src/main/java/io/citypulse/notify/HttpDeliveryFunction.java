package io.citypulse.notify;

import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each {@link Delivery} to its subscriber over HTTP without blocking the pipeline: one
 * {@link DeliveryOutcome} per delivery, delivered or failed, never an exception.
 *
 * <p><b>Why our own retry loop inside {@code unorderedWait}</b> rather than {@code
 * AsyncDataStream.unorderedWaitWithRetry}: Flink's retry strategies (fixed or exponential delay)
 * have no jitter, cannot honour a receiver's {@code Retry-After}, and cannot tell a permanent 4xx
 * from a retryable 5xx by the response in hand; the result also would not know how many attempts
 * were made, which a FailedDelivery reports. {@link HttpDeliverer} does all of that with a {@link
 * ScheduledExecutorService} for the waits, so no thread sleeps.
 *
 * <p><b>Concurrency.</b> At most {@code perEndpointConcurrency} requests per endpoint are in flight
 * <em>per subtask</em>; the job keys deliveries by endpoint, so each endpoint is served by one
 * subtask and the bound holds for the whole job. The async operator's capacity bounds deliveries in
 * flight per subtask; a slow receiver fills its own permits, not the pipeline.
 *
 * <p><b>Timeout.</b> The async timeout ({@link DeliverySettings#asyncTimeout()}) exceeds the whole
 * retry budget, so it fires only if something is broken; it then yields a failed outcome with the
 * attempts made so far, never a job failure.
 *
 * <p><b>Delivery guarantee.</b> Deliveries in flight are part of the async operator's checkpointed
 * state; after a failure the job restarts from the last checkpoint and sends them again, including
 * ones the receiver already got. Delivery is therefore at least once, and every request carries
 * {@code Idempotency-Key: <alertId>:<state>:<revision>}: a receiver that remembers the keys it has
 * processed sees every alert record exactly once.
 *
 * <p>Metrics: {@code delivered}, {@code failed}, {@code retries}, {@code asyncTimeouts}.
 */
public final class HttpDeliveryFunction extends RichAsyncFunction<Delivery, DeliveryOutcome> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(HttpDeliveryFunction.class);

    private final List<Subscriber> subscribers;
    private final DeliverySettings settings;

    private transient Map<String, Subscriber> byName;
    private transient ExecutorService executor;
    private transient ScheduledExecutorService scheduler;
    private transient HttpDeliverer deliverer;
    private transient Map<Delivery, HttpDeliverer.InFlight> inFlight;
    private transient Counter delivered;
    private transient Counter failed;
    private transient Counter retries;
    private transient Counter asyncTimeouts;

    public HttpDeliveryFunction(List<Subscriber> subscribers, DeliverySettings settings) {
        this.subscribers = List.copyOf(subscribers);
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        byName =
                subscribers.stream()
                        .collect(Collectors.toMap(Subscriber::name, Function.identity()));
        executor = Executors.newCachedThreadPool(daemonThreads("notifier-http"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("notifier-retry"));
        deliverer =
                new HttpDeliverer(
                        settings,
                        HttpDeliverer.client(settings, executor),
                        scheduler,
                        executor,
                        Clock.systemUTC(),
                        HttpDeliverer.threadLocalRandom());
        inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        delivered = metrics.counter("delivered", new AtomicCounter());
        failed = metrics.counter("failed", new AtomicCounter());
        retries = metrics.counter("retries", new AtomicCounter());
        asyncTimeouts = metrics.counter("asyncTimeouts", new AtomicCounter());
    }

    @Override
    public void asyncInvoke(Delivery delivery, ResultFuture<DeliveryOutcome> result) {
        Subscriber subscriber = byName.get(delivery.subscriber);
        if (subscriber == null) {
            // Restored from a checkpoint taken with a subscriber that has since been removed.
            DeliveryOutcome o =
                    DeliveryOutcome.of(
                            delivery,
                            "",
                            0,
                            0,
                            "subscriber '" + delivery.subscriber + "' is no longer configured",
                            false,
                            System.currentTimeMillis());
            complete(o, result);
            return;
        }
        HttpDeliverer.InFlight f = deliverer.deliver(delivery, subscriber);
        inFlight.put(delivery, f);
        f.outcome.whenComplete(
                (o, error) -> {
                    inFlight.remove(delivery);
                    retries.inc(Math.max(0, o.attempts - 1));
                    complete(o, result);
                });
    }

    @Override
    public void timeout(Delivery delivery, ResultFuture<DeliveryOutcome> result) {
        asyncTimeouts.inc();
        HttpDeliverer.InFlight f = inFlight.get(delivery);
        if (f == null) {
            // Decided meanwhile: its callback completes the result.
            return;
        }
        f.abandon();
        Subscriber s = f.subscriber;
        // Completes the result through the callback registered in asyncInvoke, exactly once: a
        // no-op when the delivery was decided at the same moment.
        f.outcome.complete(
                DeliveryOutcome.of(
                        delivery,
                        s.endpointForLogs(),
                        f.attempts.get(),
                        0,
                        "no outcome within the async timeout of " + settings.asyncTimeout(),
                        false,
                        System.currentTimeMillis()));
    }

    private void complete(DeliveryOutcome o, ResultFuture<DeliveryOutcome> result) {
        if (o.delivered) {
            delivered.inc();
        } else {
            failed.inc();
            LOG.warn("notification given up: {}", o);
        }
        result.complete(List.of(o));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Counters are incremented from HTTP client threads, so they must be thread-safe. */
    static final class AtomicCounter implements Counter {
        private final AtomicLong count = new AtomicLong();

        @Override
        public void inc() {
            count.incrementAndGet();
        }

        @Override
        public void inc(long n) {
            count.addAndGet(n);
        }

        @Override
        public void dec() {
            count.decrementAndGet();
        }

        @Override
        public void dec(long n) {
            count.addAndGet(-n);
        }

        @Override
        public long getCount() {
            return count.get();
        }
    }
}
