package io.citypulse.clickhousehttp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The adapter ({@code clickhouse-http/server/server.js}) as a child process of the test: started on
 * a free port (port 0, the real one is read from its {@code listening on} line) with a given data
 * directory, stopped with SIGTERM.
 */
final class AdapterProcess implements AutoCloseable {

    private static final Pattern LISTENING =
            Pattern.compile("^listening on http://([^\\s:]+|\\[[^\\]]+\\]):(\\d+)$");
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final int port;
    private final StringBuffer stderr;

    private AdapterProcess(Process process, int port, StringBuffer stderr) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
    }

    static Path serverScript() {
        List<Path> candidates = new ArrayList<>();
        String root = System.getProperty("citypulse.repo.root");
        if (root != null) {
            candidates.add(Paths.get(root, "clickhouse-http", "server", "server.js"));
            candidates.add(Paths.get(root, "server", "server.js"));
        }
        Path cwd = Paths.get("").toAbsolutePath();
        candidates.add(cwd.resolve(Paths.get("server", "server.js")));
        candidates.add(cwd.resolve(Paths.get("clickhouse-http", "server", "server.js")));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("adapter server.js not found in " + candidates);
    }

    /** Starts the adapter on a free port and waits for its "listening on" line. */
    static AdapterProcess start(Path dataDir, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("citypulse.node", "node"));
        cmd.add(serverScript().toString());
        cmd.add("--host");
        cmd.add("127.0.0.1");
        cmd.add("--port");
        cmd.add("0");
        cmd.add("--path");
        cmd.add(dataDir.toString());
        if (Boolean.getBoolean("citypulse.adapter.logQueries")) {
            cmd.add("--log-queries");
        }
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CLICKHOUSE_ADAPTER_USER");
        pb.environment().remove("CLICKHOUSE_ADAPTER_PASSWORD");
        Process p = pb.start();
        StringBuffer err = new StringBuffer();
        drain(p.getErrorStream(), err, "adapter-stderr");

        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread out =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    p.getInputStream(), StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    Matcher m = LISTENING.matcher(line.trim());
                                    if (m.matches()) {
                                        ready.complete(Integer.parseInt(m.group(2)));
                                    }
                                }
                            } catch (IOException e) {
                                ready.completeExceptionally(e);
                            }
                            ready.completeExceptionally(
                                    new IllegalStateException(
                                            "adapter exited before listening; stderr: " + err));
                        },
                        "adapter-stdout");
        out.setDaemon(true);
        out.start();
        try {
            int port = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new AdapterProcess(p, port, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while starting the adapter", e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("adapter did not start: " + e.getMessage() + "; " + err, e);
        }
    }

    private static void drain(InputStream in, StringBuffer sink, String name) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    sink.append(line).append('\n');
                                }
                            } catch (IOException ignored) {
                                // process gone
                            }
                        },
                        name);
        t.setDaemon(true);
        t.start();
    }

    /** What the adapter wrote to stderr so far (for failure messages). */
    String stderr() {
        return stderr.toString();
    }

    int port() {
        return port;
    }

    String httpUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** JDBC URL of the adapter; {@code query} (without '?') is appended as URL parameters. */
    String jdbcUrl(String database, String query) {
        return "jdbc:clickhouse:http://127.0.0.1:"
                + port
                + "/"
                + database
                + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** Sends SIGTERM and returns the exit code. */
    int stop() throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy(); // SIGTERM
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new IllegalStateException("adapter did not stop on SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
