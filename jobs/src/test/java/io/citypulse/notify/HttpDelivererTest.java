package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.TestReceiver;
import io.citypulse.testutils.TestReceiver.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HttpDeliverer} against a real HTTP server on 127.0.0.1. */
@Timeout(60)
class HttpDelivererTest {

    private static final Secret SECRET = new Secret("webhook-secret");
    private static final DeliverySettings FAST =
            new DeliverySettings(
                    4,
                    Duration.ofMillis(10),
                    Duration.ofMillis(50),
                    Duration.ofMillis(400),
                    2,
                    100);

    private TestReceiver receiver;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() throws Exception {
        receiver = new TestReceiver();
        executor = Executors.newCachedThreadPool();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        receiver.close();
        scheduler.shutdownNow();
        executor.shutdownNow();
    }

    private HttpDeliverer deliverer(DeliverySettings settings) {
        return new HttpDeliverer(
                settings,
                HttpDeliverer.client(settings, executor),
                scheduler,
                executor,
                Clock.systemUTC(),
                new Random(7)::nextDouble);
    }

    private Subscriber subscriber(String pathAndQuery, Format format, Secret secret) {
        return new Subscriber(
                "sub" + pathAndQuery.hashCode(),
                receiver.url(pathAndQuery),
                format,
                secret,
                SubscriberFilter.all());
    }

    private static DeliveryOutcome deliver(HttpDeliverer d, Subscriber s, int revision)
            throws Exception {
        return d.deliver(delivery(s, revision), s).outcome.get(30, TimeUnit.SECONDS);
    }

    private static Delivery delivery(Subscriber s, int revision) {
        return MatchSubscribers.delivery(
                Alerts.noiseInFutian().setRevision(revision).build(),
                s,
                ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void shouldRetryServerErrorsUntilDeliveredWithTheSameKeyAndAValidSignature() throws Exception {
        receiver.route("/flaky", r -> r.attemptOfKey() <= 2 ? Reply.status(500) : Reply.ok());
        Subscriber s = subscriber("/flaky", Format.WEBHOOK, SECRET);

        DeliveryOutcome o = deliver(deliverer(FAST), s, 2);

        assertThat(o.delivered).isTrue();
        assertThat(o.attempts).isEqualTo(3);
        assertThat(o.status).isEqualTo(200);
        assertThat(o.idempotencyKey).isEqualTo("a-noise-futian:OPENED:2");
        List<TestReceiver.Request> requests = receiver.requests("/flaky");
        assertThat(requests).hasSize(3);
        for (int i = 0; i < 3; i++) {
            TestReceiver.Request r = requests.get(i);
            assertThat(r.key()).isEqualTo("a-noise-futian:OPENED:2");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("X-CityPulse-Attempt")).isEqualTo(Integer.toString(i + 1));
            assertThat(Long.parseLong(r.header("X-CityPulse-Timestamp")))
                    .isCloseTo(
                            System.currentTimeMillis(),
                            org.assertj.core.data.Offset.offset(60_000L));
            // What a receiver does: HMAC the raw body bytes with the shared secret.
            String expected =
                    "sha256="
                            + Signatures.hmacSha256Hex(
                                    "webhook-secret".getBytes(StandardCharsets.UTF_8),
                                    r.body().getBytes(StandardCharsets.UTF_8));
            assertThat(r.header("X-CityPulse-Signature")).isEqualTo(expected);
        }
    }

    @Test
    void shouldRetryAnAttemptThatTimesOut() throws Exception {
        receiver.route(
                "/hangs-once",
                r -> r.attemptOfKey() == 1 ? Reply.ok().after(Duration.ofSeconds(5)) : Reply.ok());
        Subscriber s = subscriber("/hangs-once", Format.WEBHOOK, SECRET);

        long start = System.nanoTime();
        DeliveryOutcome o = deliver(deliverer(FAST), s, 0);

        assertThat(o.delivered).isTrue();
        assertThat(o.attempts).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("gave up on the first attempt after the request timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400))
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldGiveUpWhenEveryAttemptTimesOut() throws Exception {
        receiver.route("/hangs", r -> Reply.ok().after(Duration.ofSeconds(20)));
        DeliveryOutcome o =
                deliver(deliverer(FAST), subscriber("/hangs", Format.WEBHOOK, SECRET), 0);
        assertThat(o.delivered).isFalse();
        assertThat(o.attempts).isEqualTo(4);
        assertThat(o.status).isZero();
        assertThat(o.reason).isEqualTo("timeout");
    }

    @Test
    void shouldWaitForASlowReceiverWithinTheRequestTimeout() throws Exception {
        receiver.route("/slow", r -> Reply.ok().after(Duration.ofMillis(200)));
        DeliveryOutcome o =
                deliver(deliverer(FAST), subscriber("/slow", Format.WEBHOOK, SECRET), 0);
        assertThat(o.delivered).isTrue();
        assertThat(o.attempts).isEqualTo(1);
    }

    @Test
    void shouldHonourRetryAfterOn429() throws Exception {
        receiver.route(
                "/rate-limited",
                r ->
                        r.attemptOfKey() == 1
                                ? Reply.status(429).withHeader("Retry-After", "1")
                                : Reply.ok());
        DeliverySettings settings =
                new DeliverySettings(
                        4,
                        Duration.ofMillis(10),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(2),
                        2,
                        100);
        DeliveryOutcome o =
                deliver(
                        deliverer(settings),
                        subscriber("/rate-limited", Format.WEBHOOK, SECRET),
                        0);

        assertThat(o.delivered).isTrue();
        assertThat(o.attempts).isEqualTo(2);
        List<TestReceiver.Request> requests = receiver.requests("/rate-limited");
        assertThat(
                        Duration.ofNanos(
                                requests.get(1).receivedAtNanos()
                                        - requests.get(0).receivedAtNanos()))
                .as("the backoff alone would be at most 10 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void shouldNotRetryAPermanentClientError() throws Exception {
        receiver.route("/bad-request", r -> Reply.status(400));
        DeliveryOutcome o =
                deliver(deliverer(FAST), subscriber("/bad-request", Format.WEBHOOK, SECRET), 0);
        assertThat(o.delivered).isFalse();
        assertThat(o.attempts).isEqualTo(1);
        assertThat(o.status).isEqualTo(400);
        assertThat(o.reason).isEqualTo("HTTP 400");
        assertThat(receiver.requests("/bad-request")).hasSize(1);
    }

    @Test
    void shouldRetry408AndGiveUpAfterMaxAttemptsOfServerErrors() throws Exception {
        receiver.route("/408-then-ok", r -> r.attemptOfKey() == 1 ? Reply.status(408) : Reply.ok());
        assertThat(
                        deliver(
                                        deliverer(FAST),
                                        subscriber("/408-then-ok", Format.WEBHOOK, SECRET),
                                        0)
                                .attempts)
                .isEqualTo(2);

        receiver.route("/down", r -> Reply.status(503));
        DeliveryOutcome o =
                deliver(deliverer(FAST), subscriber("/down", Format.WEBHOOK, SECRET), 0);
        assertThat(o.delivered).isFalse();
        assertThat(o.attempts).isEqualTo(4);
        assertThat(o.status).isEqualTo(503);
        assertThat(receiver.requests("/down")).hasSize(4);
    }

    @Test
    void shouldRetryConnectionErrors() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Subscriber s =
                new Subscriber(
                        "nobody-home",
                        URI.create("http://127.0.0.1:" + closedPort + "/x"),
                        Format.WEBHOOK,
                        SECRET,
                        SubscriberFilter.all());
        DeliveryOutcome o = deliver(deliverer(FAST), s, 0);
        assertThat(o.delivered).isFalse();
        assertThat(o.attempts).isEqualTo(4);
        assertThat(o.reason).startsWith("connect");
    }

    @Test
    void shouldReadTheRobotErrcode() throws Exception {
        receiver.route(
                "/wecom-rejects",
                r ->
                        new Reply(
                                200,
                                "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}",
                                Map.of(),
                                Duration.ZERO));
        receiver.route(
                "/wecom-busy",
                r ->
                        r.attemptOfKey() == 1
                                ? new Reply(
                                        200,
                                        "{\"errcode\":45009,\"errmsg\":\"freq\"}",
                                        Map.of(),
                                        Duration.ZERO)
                                : Reply.ok());
        DeliveryOutcome rejected =
                deliver(deliverer(FAST), subscriber("/wecom-rejects?key=k", Format.WECOM, null), 0);
        assertThat(rejected.delivered).isFalse();
        assertThat(rejected.attempts).isEqualTo(1);
        assertThat(rejected.reason).isEqualTo("HTTP 200 errcode 93000 (invalid webhook url)");
        assertThat(rejected.endpoint).doesNotContain("key=");
        assertThat(receiver.requests("/wecom-rejects").get(0).header("X-CityPulse-Signature"))
                .as("no secret, no signature")
                .isNull();

        DeliveryOutcome busy =
                deliver(deliverer(FAST), subscriber("/wecom-busy?key=k", Format.WECOM, null), 0);
        assertThat(busy.delivered).isTrue();
        assertThat(busy.attempts).isEqualTo(2);
    }

    @Test
    void shouldSignDingTalkRequestsInTheQuery() throws Exception {
        receiver.route("/robot/send", r -> Reply.ok());
        Secret secret = new Secret("SECding");
        Subscriber s = subscriber("/robot/send?access_token=tok", Format.DINGTALK, secret);
        DeliveryOutcome o = deliver(deliverer(FAST), s, 0);
        assertThat(o.delivered).isTrue();
        assertThat(o.endpoint).endsWith("/robot/send");

        String query = receiver.requests("/robot/send").get(0).query();
        Map<String, String> params = new HashMap<>();
        for (String p : query.split("&")) {
            String[] kv = p.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(params).containsEntry("access_token", "tok");
        long timestamp = Long.parseLong(params.get("timestamp"));
        assertThat(params.get("sign")).isEqualTo(Signatures.dingTalkSign(timestamp, secret));
    }

    @Test
    void shouldKeepAtMostTheConfiguredRequestsInFlightPerEndpoint() throws Exception {
        receiver.route("/busy", r -> Reply.ok().after(Duration.ofMillis(100)));
        receiver.route("/other", r -> Reply.ok().after(Duration.ofMillis(100)));
        HttpDeliverer d = deliverer(FAST);
        Subscriber busy = subscriber("/busy", Format.WEBHOOK, SECRET);
        Subscriber other = subscriber("/other", Format.WEBHOOK, SECRET);
        List<HttpDeliverer.InFlight> flights = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            flights.add(d.deliver(delivery(busy, i), busy));
            flights.add(d.deliver(delivery(other, i), other));
        }
        for (HttpDeliverer.InFlight f : flights) {
            assertThat(f.outcome.get(30, TimeUnit.SECONDS).delivered).isTrue();
        }
        assertThat(receiver.maxConcurrent("/busy")).isEqualTo(2);
        assertThat(receiver.maxConcurrent("/other")).isEqualTo(2);
        assertThat(receiver.processed("/busy")).hasSize(10);
    }
}
