package io.citypulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.Main;
import io.citypulse.alerts.AlertJob;
import io.citypulse.hotspot.HotspotJob;
import io.citypulse.notify.NotifierJob;
import io.citypulse.sla.SlaJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint compatibility: every operator of every job has an explicit, unique uid, so that state
 * in a savepoint finds its operator again after an upgrade (a changed chain, name or parallelism
 * would otherwise change the generated ids and orphan the state).
 *
 * <p>Each job's real {@code main} runs with its real sources and sinks (Kafka and ClickHouse are
 * only configured, never contacted) under a context environment that records the pipeline at {@code
 * execute} instead of running it, as {@code flink run} builds it. Every transformation that becomes
 * an operator (all but partitioning, union and side-output selections, which hold no state and
 * cannot carry a uid) must have {@link Transformation#getUid()}; the stream graph is checked too,
 * so operators a sink expands into (writer, committer) are covered.
 */
class StableUidTest {

    /** The job's main method and the arguments that let it build its pipeline. */
    private record JobMain(Entry main, List<String> args) {}

    private interface Entry {
        void run(String[] args) throws Exception;
    }

    private static final List<String> ENDPOINTS =
            List.of(
                    "--bootstrap",
                    "127.0.0.1:1",
                    "--no-topic-check", // Kafka is only configured, never contacted
                    "--clickhouse-url",
                    "http://127.0.0.1:1",
                    "-Dparallelism.default=2");

    /**
     * Jobs of the jar this test does not check: the Flink SQL baseline exists for scripts/bench, is
     * not deployed, and its SQL operators get their uids from the planner, not from code; the
     * bench's read ceiling holds no state.
     */
    private static final Set<String> NOT_CHECKED = Set.of("hotspot-sql", "bench-read");

    @TempDir static Path tmp;

    private static Map<String, JobMain> jobs() throws Exception {
        Map<String, JobMain> jobs = new TreeMap<>();
        jobs.put("hotspot", new JobMain(HotspotJob::main, ENDPOINTS));
        jobs.put("sla", new JobMain(SlaJob::main, ENDPOINTS));
        jobs.put("alerts", new JobMain(AlertJob::main, ENDPOINTS));
        List<String> notifier = new ArrayList<>(ENDPOINTS.subList(0, 3));
        notifier.add("--subscriptions");
        // One subscriber without a secret (the example file names secrets from the environment).
        Path subscriptions = tmp.resolve("subscriptions.yaml");
        Files.writeString(
                subscriptions,
                "subscribers:\n"
                        + "  - name: desk\n"
                        + "    endpoint: http://127.0.0.1:1/robot\n"
                        + "    format: wecom\n");
        notifier.add(subscriptions.toString());
        jobs.put("notifier", new JobMain(NotifierJob::main, notifier));
        return jobs;
    }

    @AfterEach
    void resetContext() {
        RecordingEnvironment.unset();
    }

    @Test
    void shouldCheckEveryJobOfTheJar() throws Exception {
        // Main prints "jobs: a, b, c" on --help: a job added there must be added here too.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] {"--help"});
        } finally {
            System.setOut(stdout);
        }
        String line =
                out.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> l.startsWith("jobs: "))
                        .findFirst()
                        .orElseThrow();
        Set<String> listed = new TreeSet<>(Arrays.asList(line.substring(6).split(",\\s*")));
        Set<String> expected = new TreeSet<>(jobs().keySet());
        expected.addAll(NOT_CHECKED);
        assertThat(listed).isEqualTo(expected);
    }

    @Test
    void shouldGiveEveryOperatorOfEveryJobAnExplicitUniqueUid() throws Exception {
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, List<String>> duplicated = new TreeMap<>();
        for (Map.Entry<String, JobMain> job : jobs().entrySet()) {
            RecordingEnvironment env = record(job.getKey(), job.getValue());
            List<Transformation<?>> operators = operators(env.recorded);
            assertThat(operators)
                    .as("%s: the pipeline has its operators", job.getKey())
                    .hasSizeGreaterThan(5);

            List<String> withoutUid = new ArrayList<>();
            Map<String, Integer> uses = new HashMap<>();
            for (Transformation<?> t : operators) {
                if (t.getUid() == null || t.getUid().isBlank()) {
                    withoutUid.add(describe(t));
                } else {
                    uses.merge(t.getUid(), 1, Integer::sum);
                }
            }
            for (StreamNode node : env.streamGraph.getStreamNodes()) {
                if (node.getTransformationUID() == null && node.getUserHash() == null) {
                    withoutUid.add("stream node '" + node.getOperatorName() + "'");
                }
            }
            if (!withoutUid.isEmpty()) {
                missing.put(job.getKey(), withoutUid);
            }
            List<String> twice =
                    uses.entrySet().stream()
                            .filter(e -> e.getValue() > 1)
                            .map(Map.Entry::getKey)
                            .sorted()
                            .toList();
            if (!twice.isEmpty()) {
                duplicated.put(job.getKey(), twice);
            }
        }
        assertThat(missing)
                .as("operators without an explicit uid (add .uid(\"...\") next to .name(...))")
                .isEmpty();
        assertThat(duplicated).as("uids used by more than one operator of a job").isEmpty();
    }

    @Test
    void shouldNameTheOperatorThatLacksAUid() throws Exception {
        // The check itself: a pipeline with one operator left without uid is reported by name.
        RecordingEnvironment.setAsContext();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.fromData(1, 2, 3)
                .uid("numbers")
                .map(i -> i + 1)
                .name("forgotten")
                .filter(i -> i > 2)
                .name("kept")
                .uid("kept")
                .print()
                .uid("print");
        List<String> withoutUid =
                operators(env.getTransformations()).stream()
                        .filter(t -> t.getUid() == null)
                        .map(StableUidTest::describe)
                        .toList();
        assertThat(withoutUid).containsExactly("'forgotten' (OneInputTransformation)");
    }

    private static RecordingEnvironment record(String name, JobMain job) throws Exception {
        RecordingEnvironment.setAsContext();
        try {
            job.main().run(job.args().toArray(String[]::new));
        } catch (RecordingEnvironment.Recorded expected) {
            return expected.environment;
        } finally {
            RecordingEnvironment.unset();
        }
        throw new AssertionError(name + ": main returned without executing a pipeline");
    }

    /** Every transformation reachable from the recorded ones that becomes an operator. */
    private static List<Transformation<?>> operators(List<Transformation<?>> recorded) {
        Set<Transformation<?>> all = new LinkedHashSet<>();
        for (Transformation<?> t : recorded) {
            all.addAll(t.getTransitivePredecessors());
        }
        return all.stream()
                .filter(
                        t ->
                                !(t instanceof PartitionTransformation
                                        || t instanceof UnionTransformation
                                        || t instanceof SideOutputTransformation))
                .toList();
    }

    private static String describe(Transformation<?> t) {
        return "'" + t.getName() + "' (" + t.getClass().getSimpleName() + ")";
    }

    /**
     * A context environment (what {@code flink run} installs) that keeps the pipeline at {@code
     * execute} and ends {@code main} there instead of running it.
     */
    static final class RecordingEnvironment extends StreamExecutionEnvironment {

        List<Transformation<?>> recorded = List.of();
        StreamGraph streamGraph;

        RecordingEnvironment(Configuration conf) {
            super(conf);
        }

        static void setAsContext() {
            initializeContextEnvironment(RecordingEnvironment::new);
        }

        static void unset() {
            resetContextEnvironment();
        }

        @Override
        public JobExecutionResult execute(String jobName) {
            recorded = new ArrayList<>(getTransformations());
            streamGraph = getStreamGraph(false);
            throw new Recorded(this);
        }

        /** Ends the job's main once its pipeline is recorded. */
        static final class Recorded extends RuntimeException {
            final transient RecordingEnvironment environment;

            Recorded(RecordingEnvironment environment) {
                super("recorded", null, false, false);
                this.environment = environment;
            }
        }
    }
}
