package io.citypulse.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Sends deliveries over HTTP with retries, independent of Flink (the async function wraps it), so
 * every outcome can be tested against a real local server.
 *
 * <p>One attempt: POST the body with {@code Content-Type: application/json}, {@code
 * X-CityPulse-Signature: sha256=<hex HMAC-SHA256 of the body bytes>} (when the subscriber has a
 * secret), {@code X-CityPulse-Timestamp} (epoch ms of the attempt), {@code Idempotency-Key} and
 * {@code X-CityPulse-Attempt}; for DingTalk with the 加签 {@code timestamp} and {@code sign} query
 * parameters. Success: HTTP 2xx, and for WeCom/DingTalk a JSON {@code errcode} of 0 when present.
 *
 * <p>Retried: connect errors, timeouts (of one attempt: {@code requestTimeout} covers connect,
 * request and the whole response), 408, 429, 5xx and the robots' rate-limit / busy errcodes, with
 * {@link Backoff} (full jitter, honouring {@code Retry-After}), up to {@code maxAttempts} attempts.
 * Anything else (other 4xx, 3xx, other errcodes) fails at once: sending it again cannot help.
 *
 * <p>Per endpoint ({@link Subscriber#endpointKey()}) at most {@code perEndpointConcurrency}
 * requests are in flight ({@link EndpointGate}); a delivery waiting between attempts holds no
 * permit. The bound is per instance, i.e. per subtask.
 */
final class HttpDeliverer {

    /** WeCom: -1 system busy, 45009 API frequency limit. DingTalk: 130101 sending too fast. */
    static final Set<Long> RETRYABLE_ERRCODES = Set.of(-1L, 45009L, 130101L);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliverySettings settings;
    private final Backoff backoff;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<String, EndpointGate> gates = new ConcurrentHashMap<>();

    HttpDeliverer(
            DeliverySettings settings,
            HttpClient http,
            ScheduledExecutorService scheduler,
            Executor executor,
            Clock clock,
            DoubleSupplier random) {
        this.settings = settings;
        this.backoff = settings.backoff();
        this.http = http;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A client as deliveries need it: HTTP/1.1, no redirects, connect timeout = request timeout.
     */
    static HttpClient client(DeliverySettings settings, Executor executor) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.requestTimeout())
                .executor(executor)
                .build();
    }

    static DoubleSupplier threadLocalRandom() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    /**
     * A delivery under way: its outcome, how many attempts it has made, and a way to abandon it.
     */
    static final class InFlight {
        final Delivery delivery;
        final Subscriber subscriber;
        final CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        private final AtomicBoolean abandoned = new AtomicBoolean();

        InFlight(Delivery delivery, Subscriber subscriber) {
            this.delivery = delivery;
            this.subscriber = subscriber;
        }

        /** Stops further attempts (a request already sent still completes, unseen). */
        void abandon() {
            abandoned.set(true);
        }

        boolean abandoned() {
            return abandoned.get() || outcome.isDone();
        }
    }

    /** Starts delivering; never throws, every path ends in a completed {@code outcome}. */
    InFlight deliver(Delivery delivery, Subscriber subscriber) {
        InFlight f = new InFlight(delivery, subscriber);
        try {
            attempt(f);
        } catch (RuntimeException e) {
            finish(f, 0, "cannot deliver: " + e, false);
        }
        return f;
    }

    private void attempt(InFlight f) {
        if (f.abandoned()) {
            return;
        }
        EndpointGate gate =
                gates.computeIfAbsent(
                        f.subscriber.endpointKey(),
                        k -> new EndpointGate(settings.perEndpointConcurrency(), executor));
        gate.acquire(() -> send(f, gate));
    }

    private void send(InFlight f, EndpointGate gate) {
        if (f.abandoned()) {
            gate.release();
            return;
        }
        int attempt = f.attempts.incrementAndGet();
        CompletableFuture<HttpResponse<String>> response;
        try {
            response =
                    http.sendAsync(request(f, attempt), HttpResponse.BodyHandlers.ofString())
                            // The request timeout only bounds the wait for the response headers;
                            // this
                            // bounds the whole exchange, a body trickling in included.
                            .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            gate.release();
            finish(f, 0, "cannot send: " + e, false);
            return;
        }
        response.whenComplete(
                (r, error) -> {
                    gate.release();
                    try {
                        handle(f, attempt, r, error);
                    } catch (RuntimeException e) {
                        finish(f, r == null ? 0 : r.statusCode(), "unexpected: " + e, false);
                    }
                });
    }

    HttpRequest request(InFlight f, int attempt) {
        Subscriber s = f.subscriber;
        byte[] body = f.delivery.body.getBytes(StandardCharsets.UTF_8);
        long now = clock.millis();
        URI uri = s.endpoint();
        if (s.format() == Format.DINGTALK && s.secret() != null) {
            uri = Signatures.dingTalkSignedUrl(uri, now, s.secret());
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "CityPulse-Notifier")
                        .header("X-CityPulse-Timestamp", Long.toString(now))
                        .header("X-CityPulse-Attempt", Integer.toString(attempt))
                        .header("Idempotency-Key", f.delivery.idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (s.secret() != null) {
            b.header(Signatures.SIGNATURE_HEADER, Signatures.signatureHeader(s.secret(), body));
        }
        return b.build();
    }

    /** What one attempt's result means. */
    record Verdict(Kind kind, int status, String reason, long retryAfterMillis) {
        enum Kind {
            SUCCESS,
            RETRY,
            PERMANENT
        }
    }

    private void handle(InFlight f, int attempt, HttpResponse<String> r, Throwable error) {
        Verdict v = classify(f.subscriber.format(), r, error);
        switch (v.kind()) {
            case SUCCESS -> finish(f, v.status(), v.reason(), true);
            case PERMANENT -> finish(f, v.status(), v.reason(), false);
            case RETRY -> {
                if (attempt >= settings.maxAttempts()) {
                    finish(f, v.status(), v.reason(), false);
                } else if (!f.abandoned()) {
                    int retry = f.retries.getAndIncrement();
                    long delay = backoff.delayMillis(retry, v.retryAfterMillis(), random);
                    scheduler.schedule(() -> attempt(f), delay, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void finish(InFlight f, int status, String reason, boolean delivered) {
        f.outcome.complete(
                DeliveryOutcome.of(
                        f.delivery,
                        f.subscriber.endpointForLogs(),
                        f.attempts.get(),
                        status,
                        reason,
                        delivered,
                        clock.millis()));
    }

    static Verdict classify(Format format, HttpResponse<String> r, Throwable error) {
        if (error != null) {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                            ? error.getCause()
                            : error;
            if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
                return new Verdict(Verdict.Kind.RETRY, 0, "timeout", -1);
            }
            if (cause instanceof ConnectException) {
                return new Verdict(Verdict.Kind.RETRY, 0, "connect: " + message(cause), -1);
            }
            if (cause instanceof IOException) {
                return new Verdict(Verdict.Kind.RETRY, 0, "I/O: " + message(cause), -1);
            }
            return new Verdict(Verdict.Kind.PERMANENT, 0, "error: " + message(cause), -1);
        }
        int status = r.statusCode();
        String reason = "HTTP " + status;
        if (status >= 200 && status < 300) {
            if (format.answersWithErrcode()) {
                Long errcode = errcode(r.body());
                if (errcode != null && errcode != 0) {
                    String why = reason + " errcode " + errcode + errmsg(r.body());
                    return new Verdict(
                            RETRYABLE_ERRCODES.contains(errcode)
                                    ? Verdict.Kind.RETRY
                                    : Verdict.Kind.PERMANENT,
                            status,
                            why,
                            -1);
                }
            }
            return new Verdict(Verdict.Kind.SUCCESS, status, reason, -1);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Verdict(
                    Verdict.Kind.RETRY,
                    status,
                    reason,
                    retryAfterMillis(r.headers().firstValue("Retry-After"), Clock.systemUTC()));
        }
        return new Verdict(Verdict.Kind.PERMANENT, status, reason, -1);
    }

    /** Retry-After as delay-seconds or an HTTP-date; negative when absent or unreadable. */
    static long retryAfterMillis(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return -1;
        }
        String v = header.get().strip();
        try {
            return Math.max(0, Long.parseLong(v)) * 1000L;
        } catch (NumberFormatException e) {
            // Not seconds; maybe a date.
        }
        try {
            long at =
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant()
                            .toEpochMilli();
            return Math.max(0, at - clock.millis());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Long errcode(String body) {
        JsonNode node = json(body);
        return node != null && node.has("errcode") && node.get("errcode").canConvertToLong()
                ? node.get("errcode").asLong()
                : null;
    }

    private static String errmsg(String body) {
        JsonNode node = json(body);
        return node != null && node.hasNonNull("errmsg")
                ? " (" + node.get("errmsg").asText() + ")"
                : "";
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
