package io.citypulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.citypulse.deploy.DeployChecks.BuildFacts;
import io.citypulse.deploy.DeployChecks.Table;
import io.citypulse.testutils.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ cannot run here (no Docker, no Kubernetes), so its files are checked against the code and
 * the build: job classes, arguments, topics, environment variables, table names, the Flink version
 * and the jar path. Every check is also fed a broken copy and must report it.
 */
class DeployManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir Path tmp;

    private Path root;
    private Path deploy;
    private String flinkVersion;
    private String dockerfile;
    private Set<String> stackTopics;
    private Map<String, JsonNode> deployments;

    @BeforeEach
    void load() throws IOException {
        root = RepoPaths.root();
        deploy = root.resolve("deploy");
        flinkVersion = BuildFacts.property(root.resolve("pom.xml"), "flink.version");
        dockerfile = DeployChecks.read(deploy.resolve("Dockerfile"));
        stackTopics = DeployChecks.stackTopics(DeployChecks.read(root.resolve("scripts/stack")));
        deployments = new TreeMap<>();
        for (Path f : k8sFiles()) {
            JsonNode doc = YAML.readTree(f.toFile());
            if ("FlinkDeployment".equals(doc.path("kind").asText())) {
                deployments.put(f.getFileName().toString(), doc);
            }
        }
    }

    private List<Path> k8sFiles() throws IOException {
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private List<String> problems(String where, JsonNode d) throws IOException {
        return DeployChecks.deploymentProblems(
                where,
                d,
                stackTopics,
                DeployChecks.imageJarPath(dockerfile),
                flinkVersion,
                secretFiles(d));
    }

    /**
     * Files of Secrets defined in deploy/k8s that the deployment mounts, by their path in the
     * container, copied to a temporary folder.
     */
    private Map<String, Path> secretFiles(JsonNode d) throws IOException {
        Map<String, JsonNode> secrets = new LinkedHashMap<>();
        for (Path f : k8sFiles()) {
            JsonNode doc = YAML.readTree(f.toFile());
            if ("Secret".equals(doc.path("kind").asText())) {
                secrets.put(doc.path("metadata").path("name").asText(), doc);
            }
        }
        JsonNode podSpec = d.path("spec").path("podTemplate").path("spec");
        Map<String, String> volumeSecrets = new LinkedHashMap<>();
        for (JsonNode v : podSpec.path("volumes")) {
            volumeSecrets.put(
                    v.path("name").asText(), v.path("secret").path("secretName").asText());
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (JsonNode c : podSpec.path("containers")) {
            for (JsonNode m : c.path("volumeMounts")) {
                JsonNode secret = secrets.get(volumeSecrets.get(m.path("name").asText()));
                if (secret == null) {
                    continue;
                }
                var keys = secret.path("stringData").fields();
                while (keys.hasNext()) {
                    var key = keys.next();
                    Path copy = Files.createTempDirectory(tmp, "secret").resolve(key.getKey());
                    Files.writeString(copy, key.getValue().asText());
                    files.put(m.path("mountPath").asText() + "/" + key.getKey(), copy);
                }
            }
        }
        return files;
    }

    // ------------------------------------------------------------ FlinkDeployments

    @Test
    void shouldDeployEveryJobOfMainExactlyOnce() {
        assertThat(DeployChecks.JOB_SPECS.keySet())
                .as("the checks know every job of Main")
                .containsExactlyInAnyOrderElementsOf(DeployChecks.mainJobs());
        List<String> jobs = new ArrayList<>();
        deployments
                .values()
                .forEach(d -> jobs.add(d.path("spec").path("job").path("args").get(0).asText()));
        assertThat(jobs).containsExactlyInAnyOrderElementsOf(DeployChecks.mainJobs());
    }

    @Test
    void shouldHaveFlinkDeploymentsThatMatchTheCode() throws IOException {
        assertThat(deployments).hasSize(4);
        for (Map.Entry<String, JsonNode> d : deployments.entrySet()) {
            assertThat(problems(d.getKey(), d.getValue())).as(d.getKey()).isEmpty();
        }
    }

    @Test
    void shouldReportAWrongJobClassOptionTopicOrVariable() throws IOException {
        JsonNode good = deployments.get("hotspot.yaml");
        assertThat(problems("x", broken(good, "/spec/job/entryClass", "io.citypulse.Mian")))
                .anyMatch(p -> p.contains("entryClass"));
        assertThat(problems("x", withArg(good, 0, "hotspots")))
                .anyMatch(p -> p.contains("not one of Main's"));
        assertThat(problems("x", withArg(good, 1, "--tickets-topics")))
                .anyMatch(p -> p.contains("refuses its args") && p.contains("--tickets-topics"));
        assertThat(problems("x", withArg(good, 2, "tickets-v2")))
                .anyMatch(p -> p.contains("differs from the code's default"))
                .anyMatch(p -> p.contains("not created by scripts/stack"));
        assertThat(problems("x", withArg(good, 2, "leads")))
                .as("a real topic, but not this option's")
                .anyMatch(p -> p.contains("--tickets-topic leads differs"));
        assertThat(problems("x", broken(good, "/spec/job/jarURI", "local:///opt/flink/lib/x.jar")))
                .anyMatch(p -> p.contains("jarURI"));
        assertThat(problems("x", broken(good, "/spec/flinkVersion", "v1_20")))
                .anyMatch(p -> p.contains("flinkVersion"));
        assertThat(problems("x", broken(good, "/spec/job/upgradeMode", "stateless")))
                .anyMatch(p -> p.contains("upgradeMode"));
        assertThat(
                        problems(
                                "x",
                                broken(
                                        good,
                                        "/spec/flinkConfiguration/state.backend.type",
                                        "hashmap")))
                .anyMatch(p -> p.contains("state.backend.type"));
        ObjectNode typo = good.deepCopy();
        ((ObjectNode) typo.at("/spec/podTemplate/spec/containers/0/env/2"))
                .put("name", "KAFKA_SASL_JASS_CONFIG");
        assertThat(problems("x", typo)).anyMatch(p -> p.contains("KAFKA_SASL_JASS_CONFIG"));
    }

    @Test
    void shouldReportASubscriptionSecretTheDeploymentDoesNotProvide() throws IOException {
        JsonNode notifier = deployments.get("notifier.yaml");
        ObjectNode missing = notifier.deepCopy();
        ArrayNode env = (ArrayNode) missing.at("/spec/podTemplate/spec/containers/0/env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).path("name").asText().equals("CITYPULSE_OPS_WEBHOOK_SECRET")) {
                env.remove(i);
            }
        }
        assertThat(problems("x", missing))
                .anyMatch(p -> p.contains("refuses") && p.contains("CITYPULSE_OPS_WEBHOOK_SECRET"));
    }

    private static JsonNode broken(JsonNode good, String pointer, String value) {
        ObjectNode copy = good.deepCopy();
        int slash = pointer.lastIndexOf('/');
        ((ObjectNode) copy.at(pointer.substring(0, slash)))
                .set(pointer.substring(slash + 1), TextNode.valueOf(value));
        return copy;
    }

    private static JsonNode withArg(JsonNode good, int index, String value) {
        ObjectNode copy = good.deepCopy();
        ((ArrayNode) copy.at("/spec/job/args")).set(index, TextNode.valueOf(value));
        return copy;
    }

    // ------------------------------------------------------------ Dockerfile

    @Test
    void shouldBuildTheImageFromTheProjectsFlinkVersionAndShadedJar() {
        assertThat(dockerfileProblems(dockerfile)).isEmpty();
        assertThat(DeployChecks.imageJarPath(dockerfile))
                .isEqualTo("/opt/flink/usrlib/citypulse-jobs.jar");
    }

    @Test
    void shouldReportAnotherFlinkVersionJavaOrJar() {
        assertThat(dockerfileProblems(dockerfile.replace("flink:" + flinkVersion, "flink:2.1.0")))
                .anyMatch(p -> p.contains("flink.version"));
        assertThat(dockerfileProblems(dockerfile.replace("-java17", "-java11")))
                .anyMatch(p -> p.contains("Java 11"));
        assertThat(
                        dockerfileProblems(
                                dockerfile.replace(
                                        "jobs/target/citypulse-jobs.jar",
                                        "jobs/target/original-citypulse-jobs.jar")))
                .anyMatch(p -> p.contains("shade plugin writes"));
        assertThat(dockerfileProblems(dockerfile.replace("SERIALIZABLE_PACKAGES", "PACKAGES")))
                .anyMatch(p -> p.contains("SERIALIZABLE_PACKAGES"));
    }

    private List<String> dockerfileProblems(String text) {
        return DeployChecks.dockerfileProblems(
                text,
                flinkVersion,
                BuildFacts.property(root.resolve("pom.xml"), "maven.compiler.release"),
                BuildFacts.shadedJar(root.resolve("jobs/pom.xml")),
                BuildFacts.avroTrustedPackages());
    }

    // ------------------------------------------------------------ docker-compose

    @Test
    void shouldComposeKafkaClickHouseAFlinkSessionClusterAndTheMigrations() throws IOException {
        JsonNode compose = YAML.readTree(deploy.resolve("compose/docker-compose.yml").toFile());
        JsonNode services = compose.path("services");
        assertThat(services.fieldNames())
                .toIterable()
                .contains(
                        "kafka",
                        "kafka-topics",
                        "clickhouse",
                        "migrate",
                        "jobmanager",
                        "taskmanager");
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText())
                .as("KRaft")
                .isEqualTo("broker,controller");
        assertThat(services.at("/jobmanager/command").asText()).isEqualTo("jobmanager");
        assertThat(services.at("/taskmanager/command").asText()).isEqualTo("taskmanager");
        Path context =
                deploy.resolve("compose")
                        .resolve(services.at("/jobmanager/build/context").asText());
        assertThat(
                        context.resolve(services.at("/jobmanager/build/dockerfile").asText())
                                .normalize())
                .isEqualTo(deploy.resolve("Dockerfile").normalize());
        // The migration service mounts the real sql/ folder and the real migration tool.
        List<String> mounts = new ArrayList<>();
        services.at("/migrate/volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts)
                .anySatisfy(
                        m ->
                                assertThat(
                                                deploy.resolve("compose")
                                                        .resolve(m.split(":")[0])
                                                        .normalize())
                                        .isEqualTo(root.resolve("sql")));
        assertThat(String.join(" ", textOf(services.at("/migrate/command"))))
                .contains("scripts/lib/clickhouse.mjs migrate");
        assertThat(root.resolve("scripts/lib/clickhouse.mjs")).exists();
        // The same topics as scripts/stack.
        Set<String> created = new TreeSet<>();
        var m =
                java.util.regex.Pattern.compile("for spec in ([^;]+);")
                        .matcher(String.join(" ", textOf(services.at("/kafka-topics/command"))));
        assertThat(m.find()).as("the topic list of kafka-topics").isTrue();
        for (String spec : m.group(1).strip().split("\\s+")) {
            created.add(spec.substring(0, spec.indexOf(':')));
        }
        assertThat(created).isEqualTo(stackTopics);
        // The session cluster uses the same Flink image and Avro setting as the deployments.
        // (both Flink services take the environment of the x-flink-environment anchor)
        String text = DeployChecks.read(deploy.resolve("compose/docker-compose.yml"));
        assertThat(text.split("environment: \\*flink-environment", -1)).hasSize(3);
        assertThat(compose.at("/x-flink-environment/FLINK_PROPERTIES").asText())
                .contains("state.backend.type: rocksdb")
                .contains(
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                                + BuildFacts.avroTrustedPackages());
    }

    private static List<String> textOf(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    @Test
    void shouldFindTheTopicsScriptsStackCreates() {
        assertThat(stackTopics)
                .containsExactlyInAnyOrder(
                        "tickets",
                        "leads",
                        "alerts",
                        "dead-letters",
                        "notify-deliveries",
                        "notify-failures");
    }

    // ------------------------------------------------------------ ClickHouse

    @Test
    void shouldDefineEveryTableOfSqlOnTheCluster() throws IOException {
        Map<String, Table> local = localTables();
        assertThat(local)
                .as("tables of sql/*.sql")
                .containsKeys("ticket_counts_5m", "rejected_events", "alerts", "catalogue");
        assertThat(DeployChecks.clusterDdlProblems(local, clusterTables(clusterDdl()))).isEmpty();
    }

    @Test
    void shouldReportAMissingRenamedOrChangedClusterTable() throws IOException {
        Map<String, Table> local = localTables();
        String ddl = clusterDdl();
        assertThat(problemsOf(local, ddl.replace("citypulse.hotspots ", "citypulse.hotspot ")))
                .anyMatch(p -> p.contains("missing [hotspots]") && p.contains("unknown [hotspot]"));
        assertThat(
                        problemsOf(
                                local,
                                ddl.replace(
                                        "    platform       LowCardinality(String) COMMENT 'internet platform',\n",
                                        "")))
                .anyMatch(p -> p.contains("lead_counts_5m_local has other columns"));
        assertThat(
                        problemsOf(
                                local,
                                ddl.replace("ORDER BY alert_id", "ORDER BY (alert_id, state)")))
                .anyMatch(p -> p.contains("alerts_local is ORDER BY"));
        assertThat(problemsOf(local, ddl.replace("cityHash64(ticket_id)", "rand()")))
                .anyMatch(p -> p.contains("sharding key of sla_breaches"));
        assertThat(
                        problemsOf(
                                local,
                                ddl.replace(
                                        "cityHash64(agency)", "cityHash64(tickets_dispatched)")))
                .anyMatch(p -> p.contains("sharding key of agency_daily"));
        assertThat(
                        problemsOf(
                                local,
                                ddl.replaceFirst(
                                        "ReplicatedReplacingMergeTree\\(('[^']*'), '\\{replica\\}', version\\)",
                                        "ReplicatedMergeTree($1, '{replica}')")))
                .anyMatch(p -> p.contains("engine"));
    }

    private List<String> problemsOf(Map<String, Table> local, String ddl) {
        return DeployChecks.clusterDdlProblems(local, clusterTables(ddl));
    }

    private Map<String, Table> localTables() throws IOException {
        Map<String, Table> tables = new TreeMap<>();
        try (Stream<Path> files = Files.list(root.resolve("sql"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                tables.putAll(DeployChecks.tables(DeployChecks.read(f)));
            }
        }
        return tables;
    }

    private String clusterDdl() {
        return DeployChecks.read(deploy.resolve("clickhouse/cluster.sql"));
    }

    private static Map<String, Table> clusterTables(String ddl) {
        return DeployChecks.tables(ddl);
    }
}
