package io.citypulse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.citypulse.Main;
import io.citypulse.alerts.AlertConfig;
import io.citypulse.common.Args;
import io.citypulse.hotspot.HotspotConfig;
import io.citypulse.kafka.KafkaSettings;
import io.citypulse.notify.NotifierConfig;
import io.citypulse.sla.SlaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks behind {@link DeployManifestsTest}: each takes the text or parsed YAML of a deploy/
 * file (and the code or build facts it must agree with) and returns the problems found, so a test
 * can also feed it a deliberately broken copy and see the problem reported.
 */
final class DeployChecks {

    private DeployChecks() {}

    /** How each job of {@link Main} parses its arguments, and its usage text. */
    record JobSpec(BiFunction<String[], Map<String, String>, Record> parser, String usage) {}

    static final Map<String, JobSpec> JOB_SPECS =
            Map.of(
                    "hotspot",
                    new JobSpec(
                            (argv, env) -> HotspotConfig.from(Args.parse(argv, env)),
                            HotspotConfig.USAGE),
                    "sla",
                    new JobSpec(
                            (argv, env) -> SlaConfig.from(Args.parse(argv, env)), SlaConfig.USAGE),
                    "alerts",
                    new JobSpec(
                            (argv, env) -> AlertConfig.from(Args.parse(argv, env)),
                            AlertConfig.USAGE),
                    "notifier",
                    new JobSpec(
                            (argv, env) -> NotifierConfig.from(Args.parse(argv, env), env),
                            NotifierConfig.USAGE));

    /**
     * Jobs of the jar that are not deployed: the Flink SQL baseline and the read ceiling exist for
     * scripts/bench only.
     */
    static final Set<String> NOT_DEPLOYED = Set.of("hotspot-sql", "bench-read");

    /**
     * The job names {@link Main} dispatches to (its private registry, read by reflection), less
     * {@link #NOT_DEPLOYED}.
     */
    static Set<String> mainJobs() {
        try {
            Field f = Main.class.getDeclaredField("JOBS");
            f.setAccessible(true);
            Set<String> jobs =
                    new TreeSet<>(
                            ((Map<?, ?>) f.get(null))
                                    .keySet().stream().map(String::valueOf).toList());
            jobs.removeAll(NOT_DEPLOYED);
            return jobs;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Main's job registry", e);
        }
    }

    // ---------------------------------------------------------------- FlinkDeployment

    /**
     * Problems of one FlinkDeployment: entry class and job, arguments accepted by the job's config
     * parser (environment values from the pod template, secrets as placeholders), topics equal to
     * the code's defaults and created by scripts/stack, environment variables the job reads, the
     * settings issue 8 asks for, and the jar path of the image.
     *
     * @param secretFiles files of Secrets in deploy/k8s, by "mountPath/key" of this deployment
     */
    static List<String> deploymentProblems(
            String where,
            JsonNode d,
            Set<String> stackTopics,
            String imageJarPath,
            String flinkVersion,
            Map<String, Path> secretFiles) {
        List<String> problems = new ArrayList<>();
        if (!"FlinkDeployment".equals(d.path("kind").asText())) {
            problems.add(where + ": kind is not FlinkDeployment");
            return problems;
        }
        JsonNode spec = d.path("spec");
        JsonNode job = spec.path("job");
        String entryClass = job.path("entryClass").asText();
        if (!entryClass.equals(Main.class.getName())) {
            problems.add(where + ": entryClass " + entryClass + " is not " + Main.class.getName());
        }
        try {
            Class.forName(entryClass, false, DeployChecks.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            problems.add(where + ": entryClass " + entryClass + " does not exist");
        }
        String jarUri = job.path("jarURI").asText();
        if (!jarUri.equals("local://" + imageJarPath)) {
            problems.add(
                    where
                            + ": jarURI "
                            + jarUri
                            + " is not the image's jar local://"
                            + imageJarPath);
        }
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        if (args.isEmpty()) {
            problems.add(where + ": no args (the first must be the job name)");
            return problems;
        }
        String jobName = args.get(0);
        if (!mainJobs().contains(jobName)) {
            problems.add(where + ": job '" + jobName + "' is not one of Main's " + mainJobs());
            return problems;
        }
        JobSpec jobSpec = JOB_SPECS.get(jobName);
        Map<String, String> env = environment(spec);
        String[] argv = resolveFiles(args.subList(1, args.size()), secretFiles);
        Record config;
        try {
            config = jobSpec.parser().apply(argv, env);
        } catch (IllegalArgumentException e) {
            problems.add(where + ": job " + jobName + " refuses its args: " + e.getMessage());
            return problems;
        }
        problems.addAll(topicProblems(where, jobSpec, argv, env, config, stackTopics));
        problems.addAll(environmentProblems(where, jobSpec.usage(), env.keySet(), secretFiles));
        problems.addAll(settingsProblems(where, spec, flinkVersion));
        return problems;
    }

    /** The container environment: plain values as they are, values from Secrets as placeholders. */
    static Map<String, String> environment(JsonNode spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode container : spec.path("podTemplate").path("spec").path("containers")) {
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asText();
                if (e.has("value")) {
                    env.put(name, e.path("value").asText());
                } else {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    env.put(
                            name,
                            "<secret "
                                    + ref.path("name").asText()
                                    + "/"
                                    + ref.path("key").asText()
                                    + ">");
                }
            }
        }
        return env;
    }

    /** Arguments naming a file in a mounted Secret of deploy/k8s point at a local copy instead. */
    private static String[] resolveFiles(List<String> args, Map<String, Path> secretFiles) {
        return args.stream()
                .map(a -> secretFiles.containsKey(a) ? secretFiles.get(a).toString() : a)
                .toArray(String[]::new);
    }

    /**
     * Every {@code --X-topic NAME} argument must be the code's default for that option (the config
     * component {@code xTopic} without the option) and a topic scripts/stack creates.
     */
    static List<String> topicProblems(
            String where,
            JobSpec jobSpec,
            String[] argv,
            Map<String, String> env,
            Record config,
            Set<String> stackTopics) {
        List<String> problems = new ArrayList<>();
        List<String> withoutTopics = new ArrayList<>();
        Map<String, String> topics = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].startsWith("--") && argv[i].endsWith("-topic") && i + 1 < argv.length) {
                topics.put(argv[i].substring(2), argv[++i]);
            } else {
                withoutTopics.add(argv[i]);
            }
        }
        Record defaults = jobSpec.parser().apply(withoutTopics.toArray(String[]::new), env);
        for (Map.Entry<String, String> t : topics.entrySet()) {
            String component = camelCase(t.getKey());
            String given = component(config, component);
            String byDefault = component(defaults, component);
            if (given == null || !given.equals(t.getValue())) {
                problems.add(where + ": --" + t.getKey() + " does not set " + component);
            } else if (!t.getValue().equals(byDefault)) {
                problems.add(
                        where
                                + ": --"
                                + t.getKey()
                                + " "
                                + t.getValue()
                                + " differs from the code's default "
                                + byDefault);
            }
            if (!stackTopics.contains(t.getValue())) {
                problems.add(
                        where
                                + ": topic "
                                + t.getValue()
                                + " is not created by scripts/stack "
                                + stackTopics);
            }
        }
        return problems;
    }

    private static String camelCase(String option) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : option.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static String component(Record r, String name) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return String.valueOf(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    /**
     * Every environment variable a deployment sets must be read by the job: named in its usage, a
     * Kafka client property variable of {@link KafkaSettings#ENV_PROPERTIES}, {@code
     * CLICKHOUSE_PASSWORD} (for jobs that write to ClickHouse), or a {@code secretEnv} of a mounted
     * subscriptions file.
     */
    static List<String> environmentProblems(
            String where, String usage, Set<String> names, Map<String, Path> secretFiles) {
        Set<String> secretEnvs = new TreeSet<>();
        for (Path file : secretFiles.values()) {
            Matcher m = Pattern.compile("secretEnv:\\s*(\\w+)").matcher(read(file));
            while (m.find()) {
                secretEnvs.add(m.group(1));
            }
        }
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            boolean read =
                    Pattern.compile("\\b" + name + "\\b").matcher(usage).find()
                            || KafkaSettings.ENV_PROPERTIES.containsKey(name)
                            || secretEnvs.contains(name);
            if (!read) {
                problems.add(where + ": environment variable " + name + " is read by nothing");
            }
        }
        return problems;
    }

    /** RocksDB incremental checkpoints, Kubernetes HA, savepoint upgrades, metrics, resources. */
    static List<String> settingsProblems(String where, JsonNode spec, String flinkVersion) {
        List<String> problems = new ArrayList<>();
        JsonNode conf = spec.path("flinkConfiguration");
        Map<String, String> required = new LinkedHashMap<>();
        required.put("state.backend.type", "rocksdb");
        required.put("state.backend.rocksdb.use-bloom-filter", "true");
        required.put("execution.checkpointing.incremental", "true");
        required.put("high-availability.type", "kubernetes");
        required.put(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        required.put(
                "env.java.opts.all",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + BuildFacts.avroTrustedPackages());
        required.forEach(
                (k, v) -> {
                    if (!v.equals(conf.path(k).asText())) {
                        problems.add(where + ": flinkConfiguration " + k + " is not " + v);
                    }
                });
        for (String k :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            if (conf.path(k).asText().isEmpty()) {
                problems.add(where + ": flinkConfiguration " + k + " is missing");
            }
        }
        String[] v = flinkVersion.split("\\.");
        String expected = "v" + v[0] + "_" + v[1];
        if (!expected.equals(spec.path("flinkVersion").asText())) {
            problems.add(
                    where
                            + ": flinkVersion "
                            + spec.path("flinkVersion").asText()
                            + " is not "
                            + expected);
        }
        if (!"savepoint".equals(spec.path("job").path("upgradeMode").asText())) {
            problems.add(where + ": upgradeMode is not savepoint");
        }
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode r = spec.path(role).path("resource");
            if (r.path("memory").asText().isEmpty() || r.path("cpu").isMissingNode()) {
                problems.add(where + ": " + role + " has no memory/cpu resources");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- Dockerfile

    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+flink:(\\S+)\\s*$");
    private static final Pattern COPY_JAR =
            Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+\\.jar)\\s+(\\S+)\\s*$");

    /** The path of the jobs jar inside the image, or null. */
    static String imageJarPath(String dockerfile) {
        Matcher m = COPY_JAR.matcher(dockerfile);
        return m.find() ? m.group(2) : null;
    }

    /**
     * The base image is the official Flink image of the project's Flink version on the project's
     * Java release, and the jar copied is the shade plugin's output, into /opt/flink/usrlib.
     */
    static List<String> dockerfileProblems(
            String dockerfile,
            String flinkVersion,
            String javaRelease,
            String shadedJar,
            String avroTrustedPackages) {
        List<String> problems = new ArrayList<>();
        Matcher from = FROM.matcher(dockerfile);
        if (!from.find()) {
            problems.add("Dockerfile: no FROM flink:TAG line");
        } else {
            String tag = from.group(1);
            Matcher t = Pattern.compile("(\\d+(?:\\.\\d+)*)-java(\\d+)").matcher(tag);
            if (!t.matches()) {
                problems.add("Dockerfile: tag " + tag + " is not VERSION-javaN");
            } else {
                if (!t.group(1).equals(flinkVersion)) {
                    problems.add(
                            "Dockerfile: Flink "
                                    + t.group(1)
                                    + " differs from the pom's flink.version "
                                    + flinkVersion);
                }
                if (!t.group(2).equals(javaRelease)) {
                    problems.add(
                            "Dockerfile: Java "
                                    + t.group(2)
                                    + " differs from the pom's "
                                    + javaRelease);
                }
            }
        }
        Matcher copy = COPY_JAR.matcher(dockerfile);
        if (!copy.find()) {
            problems.add("Dockerfile: no COPY of the jobs jar");
        } else {
            if (!copy.group(1).equals(shadedJar)) {
                problems.add(
                        "Dockerfile: copies "
                                + copy.group(1)
                                + ", the shade plugin writes "
                                + shadedJar);
            }
            if (!copy.group(2).startsWith("/opt/flink/usrlib/")) {
                problems.add("Dockerfile: the jar does not go to /opt/flink/usrlib/");
            }
        }
        if (!dockerfile.contains(
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + avroTrustedPackages)) {
            problems.add(
                    "Dockerfile: no -Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                            + avroTrustedPackages);
        }
        return problems;
    }

    // ---------------------------------------------------------------- ClickHouse

    /** One CREATE TABLE: its columns (definition lines, normalised), engine and sorting key. */
    record Table(String name, List<String> columns, String engine, String orderBy, String as) {}

    private static final Pattern CREATE =
            Pattern.compile(
                    "CREATE TABLE IF NOT EXISTS (?:\\w+\\.)?(\\w+)(?: ON CLUSTER '[^']*')?\\s*"
                            + "(?:AS (?:\\w+\\.)?(\\w+)\\s*|(\\(.*?\\n\\))\\s*)"
                            + "ENGINE = (\\w+\\([^\\n]*\\))\\s*(.*?);",
                    Pattern.DOTALL);

    static Map<String, Table> tables(String sql) {
        String withoutComments = sql.replaceAll("(?m)^\\s*--.*$", "");
        Map<String, Table> tables = new TreeMap<>();
        Matcher m = CREATE.matcher(withoutComments);
        while (m.find()) {
            List<String> columns = new ArrayList<>();
            if (m.group(3) != null) {
                for (String line : m.group(3).split("\n")) {
                    String l = line.strip().replaceAll("\\s+", " ").replaceAll(",$", "");
                    if (!l.isEmpty() && !l.equals("(") && !l.equals(")")) {
                        columns.add(l);
                    }
                }
            }
            Matcher order = Pattern.compile("ORDER BY (.*)").matcher(m.group(5));
            tables.put(
                    m.group(1),
                    new Table(
                            m.group(1),
                            columns,
                            m.group(4),
                            order.find() ? order.group(1).strip() : null,
                            m.group(2)));
        }
        return tables;
    }

    /**
     * The production DDL has a table of every name of sql/ and no other, holding the same columns
     * with the same sorting key in the replicated form of the same engine; a Distributed table's
     * sharding key uses sorting-key columns only, so all versions of a row meet on one shard.
     */
    static List<String> clusterDdlProblems(Map<String, Table> local, Map<String, Table> cluster) {
        List<String> problems = new ArrayList<>();
        Set<String> front = new TreeSet<>();
        for (String name : cluster.keySet()) {
            if (!name.endsWith("_local")) {
                front.add(name);
            }
        }
        if (!front.equals(local.keySet())) {
            Set<String> missing = new TreeSet<>(local.keySet());
            missing.removeAll(front);
            Set<String> extra = new TreeSet<>(front);
            extra.removeAll(local.keySet());
            problems.add("cluster DDL: tables missing " + missing + ", unknown " + extra);
        }
        for (Table t : local.values()) {
            Table data = cluster.getOrDefault(t.name() + "_local", cluster.get(t.name()));
            if (data == null) {
                continue;
            }
            if (!data.columns().equals(t.columns())) {
                problems.add("cluster DDL: " + data.name() + " has other columns than " + t.name());
            }
            if (!String.valueOf(data.orderBy()).equals(t.orderBy())) {
                problems.add(
                        "cluster DDL: "
                                + data.name()
                                + " is ORDER BY "
                                + data.orderBy()
                                + ", sql/ has "
                                + t.orderBy());
            }
            String engine = t.engine().substring(0, t.engine().indexOf('('));
            String version =
                    t.engine().substring(t.engine().indexOf('(') + 1, t.engine().length() - 1);
            if (!data.engine().startsWith("Replicated" + engine + "(")
                    || !data.engine().endsWith(", " + version + ")")) {
                problems.add(
                        "cluster DDL: "
                                + data.name()
                                + " engine "
                                + data.engine()
                                + " is not Replicated"
                                + t.engine()
                                + " with its version column");
            }
            Table dist = cluster.get(t.name());
            if (dist != null && dist != data) {
                problems.addAll(distributedProblems(t, data, dist));
            }
        }
        return problems;
    }

    private static List<String> distributedProblems(Table t, Table data, Table dist) {
        List<String> problems = new ArrayList<>();
        Matcher d =
                Pattern.compile("Distributed\\('[^']*', \\w+, (\\w+), (.*)\\)")
                        .matcher(dist.engine());
        if (!d.matches() || !d.group(1).equals(data.name()) || !data.name().equals(dist.as())) {
            problems.add(
                    "cluster DDL: " + t.name() + " is not a Distributed table over " + data.name());
            return problems;
        }
        Set<String> keyColumns = new LinkedHashSet<>();
        Matcher id = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\b(?!\\()").matcher(d.group(2));
        while (id.find()) {
            keyColumns.add(id.group(1));
        }
        Set<String> sortColumns =
                new TreeSet<>(Arrays.asList(t.orderBy().replaceAll("[()]", "").split("\\s*,\\s*")));
        if (keyColumns.isEmpty() || !sortColumns.containsAll(keyColumns)) {
            problems.add(
                    "cluster DDL: sharding key of "
                            + t.name()
                            + " uses "
                            + keyColumns
                            + ", not only sorting-key columns "
                            + sortColumns);
        }
        return problems;
    }

    // ---------------------------------------------------------------- helpers

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Topics scripts/stack creates: the defaults of its ${NAME_TOPIC:-default} list. */
    static Set<String> stackTopics(String stackScript) {
        Set<String> topics = new TreeSet<>();
        Matcher m =
                Pattern.compile("\\$\\{[A-Z_]+_TOPIC:-([a-z0-9.-]+)\\}:\\d+").matcher(stackScript);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }

    /** Facts of the Maven build the deploy files must agree with. */
    static final class BuildFacts {
        private BuildFacts() {}

        static String property(Path pom, String name) {
            Matcher m =
                    Pattern.compile(
                                    "<"
                                            + Pattern.quote(name)
                                            + ">([^<]+)</"
                                            + Pattern.quote(name)
                                            + ">")
                            .matcher(read(pom));
            if (!m.find()) {
                throw new IllegalStateException(pom + " has no <" + name + ">");
            }
            return m.group(1).strip();
        }

        static String avroTrustedPackages() {
            return property(
                    io.citypulse.testutils.RepoPaths.root().resolve("pom.xml"),
                    "avro.trusted.packages");
        }

        /**
         * The shade plugin's output, relative to the repository root: it replaces the module's main
         * artifact, {@code jobs/target/<finalName>.jar}, unless it is attached with a classifier.
         */
        static String shadedJar(Path jobsPom) {
            String pom = read(jobsPom);
            if (!pom.contains("<artifactId>maven-shade-plugin</artifactId>")) {
                throw new IllegalStateException("jobs/pom.xml does not shade");
            }
            if (pom.contains("<shadedArtifactAttached>true")) {
                throw new IllegalStateException("the shaded jar is attached with a classifier");
            }
            return "jobs/target/" + property(jobsPom, "finalName") + ".jar";
        }
    }
}
