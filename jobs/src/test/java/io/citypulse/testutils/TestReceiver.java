package io.citypulse.testutils;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 (an ephemeral port) with scripted behaviour per path: fail the
 * first attempts of each key, answer after a delay (slowly, or after the client's timeout), send
 * 429 with Retry-After, refuse with 400. It records every request and, like a well-behaved
 * receiver, processes each {@code Idempotency-Key} once ({@link #processed(String)}).
 */
public final class TestReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(
            String path,
            String query,
            Map<String, String> headers,
            String body,
            long receivedAtNanos,
            int attemptOfKey) {

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String key() {
            return header("Idempotency-Key");
        }
    }

    /** The reply to send: status, body, extra headers, and how long to wait before answering. */
    public record Reply(int status, String body, Map<String, String> headers, Duration delay) {
        public static Reply ok() {
            return new Reply(200, "{\"errcode\":0,\"errmsg\":\"ok\"}", Map.of(), Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, "{}", Map.of(), Duration.ZERO);
        }

        public Reply after(Duration delay) {
            return new Reply(status, body, headers, delay);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delay);
        }
    }

    /** Decides the reply from the request (its {@code attemptOfKey} counts from 1). */
    public interface Script {
        Reply reply(Request request);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByKey = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> processed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxConcurrent = new ConcurrentHashMap<>();

    public TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Requests to {@code path} are answered by {@code script}; unknown paths get 404. */
    public TestReceiver route(String path, Script script) {
        scripts.put(path, script);
        return this;
    }

    public URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Keys answered with 2xx at least once: what a deduplicating receiver processed. */
    public Set<String> processed(String path) {
        return Set.copyOf(processed.getOrDefault(path, Set.of()));
    }

    public int maxConcurrent(String path) {
        AtomicInteger n = maxConcurrent.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        AtomicInteger now = concurrent.computeIfAbsent(path, p -> new AtomicInteger());
        int inFlight = now.incrementAndGet();
        maxConcurrent
                .computeIfAbsent(path, p -> new AtomicInteger())
                .accumulateAndGet(inFlight, Math::max);
        try {
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String key = headers.getOrDefault("idempotency-key", "");
            int attempt =
                    attemptsByKey
                            .computeIfAbsent(path + " " + key, k -> new AtomicInteger())
                            .incrementAndGet();
            Request request =
                    new Request(
                            path,
                            exchange.getRequestURI().getRawQuery(),
                            headers,
                            body,
                            System.nanoTime(),
                            attempt);
            requests.add(request);
            Script script = scripts.get(path);
            Reply reply = script == null ? Reply.status(404) : script.reply(request);
            if (!reply.delay().isZero()) {
                // Simulates a slow receiver; released early when the test ends.
                closing.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
            if (reply.status() / 100 == 2) {
                processed.computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet()).add(key);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (timeout) before the answer: as for a real receiver, not our
            // problem.
        } finally {
            now.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
