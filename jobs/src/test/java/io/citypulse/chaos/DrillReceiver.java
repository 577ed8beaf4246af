package io.citypulse.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The drills' webhook receiver, a process of its own so it outlives the jobs it listens to. Like a
 * well-behaved receiver it processes each {@code Idempotency-Key} once: the first 2xx answer of a
 * key is a processed notification, a later request with that key is a repeat it drops. To exercise
 * the notifier's retries it answers 503 to the first attempt of one key in four.
 *
 * <p>Every request is appended to the log as {@code millis TAB key TAB status TAB processed|repeat|
 * refused}; {@link DrillCheck} reads it.
 */
final class DrillReceiver {

    private DrillReceiver() {}

    static void run(int port, Path log) throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<String, Boolean> processed = new ConcurrentHashMap<>();
        Writer out =
                Files.newBufferedWriter(
                        log,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(
                "/",
                exchange -> {
                    try {
                        exchange.getRequestBody().readAllBytes();
                        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                        key = key == null ? "" : key;
                        int attempt =
                                attempts.computeIfAbsent(key, k -> new AtomicInteger())
                                        .incrementAndGet();
                        int status =
                                attempt == 1 && Math.floorMod(key.hashCode(), 4) == 0 ? 503 : 200;
                        String outcome =
                                status != 200
                                        ? "refused"
                                        : processed.putIfAbsent(key, Boolean.TRUE) == null
                                                ? "processed"
                                                : "repeat";
                        synchronized (out) {
                            out.write(
                                    System.currentTimeMillis()
                                            + "\t"
                                            + key
                                            + "\t"
                                            + status
                                            + "\t"
                                            + outcome
                                            + "\n");
                            out.flush();
                        }
                        reply(exchange, status);
                    } finally {
                        exchange.close();
                    }
                });
        server.start();
        System.err.println("receiver listening on 127.0.0.1:" + port + ", log " + log);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.stop(0);
                                    stop.countDown();
                                }));
        stop.await();
    }

    private static void reply(HttpExchange exchange, int status) throws IOException {
        byte[] body = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
