package io.citypulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.TicketEvent;
import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.testutils.RepoPaths;
import io.citypulse.testutils.Tickets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach a log. A real job (hotspot, bounded, a handful of tickets) runs as its own
 * process from the shaded jar, exactly as scripts/run starts it, against the real Kafka broker and
 * a private ClickHouse adapter that requires a password. Its secrets come the ways a deployment
 * gives them: the ClickHouse password and Kafka SASL/SSL settings from environment variables,
 * another SSL password from a client properties file. Every byte the run writes (stdout, stderr,
 * its log file) and the adapter's own log are searched for each secret value and for the HTTP Basic
 * credentials derived from the password. The broker is PLAINTEXT, so the SASL/SSL settings are
 * configured but unused; the job must still succeed and the Kafka clients must have received them
 * (they print them as [hidden]).
 */
class SecretsNotLoggedITCase {

    private static final String USER = "citypulse_it";
    private static final String CLICKHOUSE_PASSWORD = "chpw-" + token();
    private static final String JAAS_PASSWORD = "saslpw-" + token();
    private static final String TRUSTSTORE_PASSWORD = "tspw-" + token();
    private static final String KEYSTORE_PASSWORD = "kspw-" + token();
    private static final int TICKETS = 12;

    @TempDir Path tmp;

    private Process adapter;
    private Path adapterLog;

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @AfterEach
    void stopAdapter() throws Exception {
        if (adapter != null) {
            adapter.destroy();
            if (!adapter.waitFor(30, TimeUnit.SECONDS)) {
                adapter.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(900)
    void shouldRunWithSecretsFromEnvironmentAndFilesWithoutLoggingThem() throws Exception {
        Path root = RepoPaths.root();
        String clickHouseUrl = startAdapter(root);
        migrate(root, clickHouseUrl);

        try (KafkaTestTopics kafka = new KafkaTestTopics()) {
            String tickets = kafka.create("it-secret-tickets", 1);
            String leads = kafka.create("it-secret-leads", 1);
            String deadLetters = kafka.create("it-secret-dead-letters", 1);
            AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
            List<byte[]> values = new ArrayList<>();
            for (int i = 0; i < TICKETS; i++) {
                values.add(
                        codec.encode(
                                Tickets.created(
                                        Tickets.BEGINNING.plus(Duration.ofMinutes(i)),
                                        "NOISE-CONSTRUCTION",
                                        "Futian")));
            }
            kafka.produce(tickets, values);

            Path properties = tmp.resolve("kafka-client.properties");
            Files.writeString(properties, "ssl.keystore.password=" + KEYSTORE_PASSWORD + "\n");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CLICKHOUSE_PASSWORD", CLICKHOUSE_PASSWORD);
            env.put(
                    "KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\"citypulse\" password=\""
                            + JAAS_PASSWORD
                            + "\";");
            env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", TRUSTSTORE_PASSWORD);

            Path log = tmp.resolve("job.log");
            Path stdout = tmp.resolve("job.stdout");
            Path stderr = tmp.resolve("job.stderr");
            int exit =
                    runJob(
                            root,
                            env,
                            log,
                            stdout,
                            stderr,
                            List.of(
                                    "hotspot",
                                    "--bounded",
                                    "--bootstrap",
                                    kafka.bootstrap(),
                                    "--tickets-topic",
                                    tickets,
                                    "--leads-topic",
                                    leads,
                                    "--dead-letter-topic",
                                    deadLetters,
                                    "--group-id",
                                    "it-secrets",
                                    "--clickhouse-url",
                                    clickHouseUrl,
                                    "--clickhouse-user",
                                    USER,
                                    "--kafka-properties",
                                    properties.toString(),
                                    "--partial-every",
                                    "0s",
                                    "--flink-conf-dir",
                                    root.resolve("scripts/conf/flink").toString(),
                                    "-Dparallelism.default=1",
                                    "-Dexecution.checkpointing.dir=" + tmp.resolve("cp").toUri()));
            String output =
                    read(stdout) + "\n" + read(stderr) + "\n" + read(log) + "\n" + read(adapterLog);
            assertThat(exit).as("job exit code; output:\n%s", tail(output)).isZero();

            // The password was needed (the adapter refuses others) and used: the counts arrived.
            ClickHouseSettings right =
                    new ClickHouseSettings(clickHouseUrl, "default", USER, CLICKHOUSE_PASSWORD);
            assertThat(
                            queryLong(
                                    right,
                                    "SELECT sum(created) FROM ticket_counts_5m FINAL"
                                            + " WHERE district = 'Futian'"))
                    .isEqualTo(TICKETS);
            assertThatThrownBy(
                            () ->
                                    queryLong(
                                            new ClickHouseSettings(
                                                    clickHouseUrl, "default", USER, "wrong"),
                                            "SELECT 1"))
                    .hasStackTraceContaining("516");

            // The Kafka clients received every secret setting (and masked it themselves).
            assertThat(output)
                    .contains("sasl.jaas.config = [hidden]")
                    .contains("ssl.truststore.password = [hidden]")
                    .contains("ssl.keystore.password = [hidden]")
                    .contains("sasl.mechanism = SCRAM-SHA-512");

            String basic =
                    Base64.getEncoder()
                            .encodeToString(
                                    (USER + ":" + CLICKHOUSE_PASSWORD)
                                            .getBytes(StandardCharsets.UTF_8));
            for (String secret :
                    List.of(
                            CLICKHOUSE_PASSWORD,
                            JAAS_PASSWORD,
                            TRUSTSTORE_PASSWORD,
                            KEYSTORE_PASSWORD,
                            basic)) {
                assertThat(
                                findings(
                                        secret,
                                        Map.of(
                                                "stdout",
                                                stdout,
                                                "stderr",
                                                stderr,
                                                "job log",
                                                log,
                                                "adapter log",
                                                adapterLog)))
                        .as("places the secret %s... appears", secret.substring(0, 6))
                        .isEmpty();
            }
        }
    }

    /** Lines (file and line number) that contain {@code secret}. */
    private static List<String> findings(String secret, Map<String, Path> files)
            throws IOException {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            List<String> lines = read(f.getValue()).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(secret)) {
                    found.add(f.getKey() + ":" + (i + 1));
                }
            }
        }
        return found;
    }

    /** Starts clickhouse-http on a free port with a user and a password file; returns its URL. */
    private String startAdapter(Path root) throws Exception {
        Path passwordFile = tmp.resolve("clickhouse.password");
        Files.writeString(passwordFile, CLICKHOUSE_PASSWORD);
        adapterLog = tmp.resolve("adapter.log");
        adapter =
                new ProcessBuilder(
                                System.getProperty("citypulse.node", "node"),
                                root.resolve("clickhouse-http/server/server.js").toString(),
                                "--host",
                                "127.0.0.1",
                                "--port",
                                "0",
                                "--path",
                                tmp.resolve("clickhouse").toString(),
                                "--user",
                                USER,
                                "--password-file",
                                passwordFile.toString(),
                                "--log-queries")
                        .redirectErrorStream(true)
                        .start();
        // Copy the adapter's output to a file while waiting for its "listening on URL" line.
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(adapter.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        String url = null;
        StringBuilder seen = new StringBuilder();
        while (url == null && System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the adapter exited: " + seen);
            }
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
        }
        assertThat(url).as("adapter start-up: %s", seen).isNotNull();
        Files.writeString(adapterLog, seen);
        Thread pump =
                new Thread(
                        () -> {
                            try {
                                for (String l; (l = out.readLine()) != null; ) {
                                    Files.writeString(
                                            adapterLog,
                                            l + "\n",
                                            java.nio.file.StandardOpenOption.APPEND);
                                }
                            } catch (IOException e) {
                                // the adapter stopped
                            }
                        },
                        "adapter-log");
        pump.setDaemon(true);
        pump.start();
        return url;
    }

    /** Applies sql/*.sql with the repository's migration tool, credentials from the environment. */
    private void migrate(Path root, String url) throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(
                                System.getProperty("citypulse.node", "node"),
                                root.resolve("scripts/lib/clickhouse.mjs").toString(),
                                "migrate",
                                "--url",
                                url)
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("migrate.out").toFile());
        pb.environment().put("CLICKHOUSE_USER", USER);
        pb.environment().put("CLICKHOUSE_PASSWORD", CLICKHOUSE_PASSWORD);
        pb.environment().remove("CLICKHOUSE_DATABASE");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("migrations finish").isTrue();
        assertThat(p.exitValue()).as("migrations: %s", read(tmp.resolve("migrate.out"))).isZero();
    }

    /**
     * Runs io.citypulse.Main from the shaded jar with Flink on the classpath, as scripts/run does.
     */
    private int runJob(
            Path root,
            Map<String, String> env,
            Path log,
            Path stdout,
            Path stderr,
            List<String> args)
            throws Exception {
        Path jar = root.resolve("jobs/target/citypulse-jobs.jar");
        Path classpath = root.resolve("jobs/target/classpath.txt");
        assertThat(jar).as("the shaded jar (mvn package)").exists();
        Path log4j = tmp.resolve("log4j2.properties");
        // Production log levels (INFO) for everything, DEBUG for CityPulse's own code.
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = File",
                        "rootLogger.appenderRef.console.ref = Console",
                        "appender.file.name = File",
                        "appender.file.type = File",
                        "appender.file.fileName = " + log,
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d %-5level %c - %msg%n%throwable",
                        "appender.console.name = Console",
                        "appender.console.type = Console",
                        "appender.console.target = SYSTEM_OUT",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %-5level %c{1} - %msg%n%throwable",
                        "logger.citypulse.name = io.citypulse",
                        "logger.citypulse.level = DEBUG",
                        ""));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.citypulse");
        command.add("-Dlog4j.configurationFile=" + log4j.toUri());
        command.add("--add-opens=java.base/java.util=ALL-UNNAMED");
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("-cp");
        command.add(jar + java.io.File.pathSeparator + read(classpath).strip());
        command.add("io.citypulse.Main");
        command.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile());
        pb.environment().putAll(env);
        for (String inherited :
                List.of(
                        "CLICKHOUSE_URL",
                        "CLICKHOUSE_USER",
                        "CLICKHOUSE_DATABASE",
                        "KAFKA_CLIENT_PROPERTIES")) {
            pb.environment().remove(inherited);
        }
        Process job = pb.start();
        if (!job.waitFor(600, TimeUnit.SECONDS)) {
            job.destroyForcibly();
            throw new AssertionError("the job did not finish in 600 s: " + tail(read(log)));
        }
        return job.exitValue();
    }

    private static long queryLong(ClickHouseSettings settings, String sql) throws Exception {
        try (Connection c = settings.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }
}
