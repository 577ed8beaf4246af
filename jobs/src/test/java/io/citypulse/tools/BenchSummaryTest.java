package io.citypulse.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.testutils.RepoPaths;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib/bench-summary.mjs}, the bench's arithmetic, run by Node on hand-made probe
 * reports whose figures are worked out by hand: a run's throughput, CPU per million events with and
 * without the local services, checkpoint sizes and bytes per key; the medians over runs, where an
 * unmeasured service counts as missing rather than as zero.
 */
class BenchSummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /**
     * A probe report: 2,000,000 events read from t = 1 s, the last ClickHouse commit at 11 s (10 s
     * end to end), the JVM's CPU {@code cpuSeconds}, 1 GiB peak RSS.
     */
    private Path report(String name, double cpuSeconds) throws Exception {
        Path file = tmp.resolve(name + ".json");
        Files.writeString(
                file,
                "{\"firstReadMs\":1000,\"endMs\":12000,\"lastCommitMs\":11000,\"recordsRead\":2000000,"
                        + "\"rowsCommitted\":500,\"cpuNanos\":"
                        + (long) (cpuSeconds * 1e9)
                        + ",\"peakRssBytes\":1073741824,\"threadCpuSeconds\":{},\"gc\":{}}");
        return file;
    }

    private Path log() throws Exception {
        Path file = tmp.resolve("job.log");
        Files.writeString(
                file,
                "x Completed checkpoint 1 for job abc (1048576 bytes, checkpointDuration=50 ms)\n"
                        + "x Completed checkpoint 2 for job abc (2097152 bytes, checkpointDuration=70"
                        + " ms)\n");
        return file;
    }

    private record Result(int exit, String output) {}

    /** Runs bench-summary.mjs with {@code args}: its exit status and output. */
    private Result summary(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.add(RepoPaths.root().resolve("scripts/lib/bench-summary.mjs").toString());
        command.addAll(List.of(args));
        File out = tmp.resolve("node-" + System.nanoTime() + ".log").toFile();
        Process p =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out.toPath()));
    }

    /** Runs bench-summary.mjs with {@code args}, which must succeed: its output. */
    private String node(String... args) throws Exception {
        Result r = summary(args);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output();
    }

    private JsonNode run(String name, double cpuSeconds, String kafkaCpu, String engineCpu)
            throws Exception {
        Path out = tmp.resolve("runs").resolve("run-" + name + ".json");
        Files.createDirectories(out.getParent());
        node(
                "run",
                "--job",
                "hotspot",
                "--run",
                name,
                "--report",
                report(name, cpuSeconds).toString(),
                "--log",
                log().toString(),
                "--wall",
                "15",
                "--keys",
                "1000",
                "--kafka-cpu",
                kafkaCpu,
                "--clickhouse-cpu",
                engineCpu,
                "--out",
                out.toString());
        return JSON.readTree(out.toFile());
    }

    @Test
    @Timeout(120)
    void shouldCountTheServicesCpuWithTheJobsWhenTheyWereMeasured() throws Exception {
        JsonNode r = run("1", 30, "4.5", "5.5");

        assertThat(r.get("seconds").asDouble()).isCloseTo(10, within(1e-9));
        assertThat(r.get("eventsPerSecond").asDouble()).isCloseTo(200_000, within(1e-6));
        // 30 CPU s over 2 M events; with the services (4.5 + 5.5 s) 40 over 2 M
        assertThat(r.get("cpuSecondsPerMillion").asDouble()).isCloseTo(15, within(1e-9));
        assertThat(r.get("machineCpuSecondsPerMillion").asDouble()).isCloseTo(20, within(1e-9));
        assertThat(r.get("kafkaCpuSeconds").asDouble()).isEqualTo(4.5);
        assertThat(r.get("clickhouseCpuSeconds").asDouble()).isEqualTo(5.5);
        assertThat(r.get("checkpoints").asInt()).isEqualTo(2);
        assertThat(r.get("checkpointMaxMiB").asDouble()).isCloseTo(2, within(1e-9));
        assertThat(r.get("bytesPerKey").asDouble()).isCloseTo(2097.152, within(1e-9));
        assertThat(r.get("peakRssMiB").asDouble()).isCloseTo(1024, within(1e-9));
    }

    @Test
    @Timeout(120)
    void shouldLeaveTheServicesOutWhenTheyWereNotMeasured() throws Exception {
        JsonNode r = run("1", 30, "-", "-");

        assertThat(r.get("kafkaCpuSeconds").isNull()).isTrue();
        assertThat(r.get("clickhouseCpuSeconds").isNull()).isTrue();
        assertThat(r.get("machineCpuSecondsPerMillion").isNull()).isTrue();
        assertThat(r.get("cpuSecondsPerMillion").asDouble()).isCloseTo(15, within(1e-9));
    }

    @Test
    @Timeout(120)
    void shouldTakeMediansOverTheRunsThatMeasuredEachFigure() throws Exception {
        run("1", 30, "4.5", "5.5"); // with the services: 40 CPU s, 20 per M
        run("2", 40, "6", "14"); // 60 CPU s, 30 per M
        run("3", 50, "-", "-"); // not measured: left out of those medians
        Path json = tmp.resolve("summary.json");

        String table =
                node(
                        "summarize",
                        "--dir",
                        tmp.resolve("runs").toString(),
                        "--json",
                        json.toString());

        JsonNode m = JSON.readTree(json.toFile()).get("jobs").get("hotspot");
        assertThat(m.get("runs").asInt()).isEqualTo(3);
        assertThat(m.get("cpuSecondsPerMillion").asDouble()).isCloseTo(20, within(1e-9));
        assertThat(m.get("machineCpuSecondsPerMillion").asDouble()).isCloseTo(25, within(1e-9));
        assertThat(m.get("kafkaCpuSeconds").asDouble()).isCloseTo(5.25, within(1e-9));
        assertThat(m.get("clickhouseCpuSeconds").asDouble()).isCloseTo(9.75, within(1e-9));
        assertThat(table)
                .contains(
                        "| hotspot | 3 | 2,000,000 | 200,000 | 20.0 | 25.0 | 9.8 | 5.3 | 1,024 |");
    }

    @Test
    @Timeout(120)
    void shouldRefuseAServiceFigureThatIsNotANumber() throws Exception {
        Result r =
                summary(
                        "run",
                        "--job",
                        "hotspot",
                        "--run",
                        "1",
                        "--report",
                        report("bad", 30).toString(),
                        "--log",
                        log().toString(),
                        "--wall",
                        "15",
                        "--kafka-cpu",
                        "lots",
                        "--clickhouse-cpu",
                        "1",
                        "--out",
                        tmp.resolve("bad-out.json").toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("not a number of CPU seconds: lots");
        assertThat(tmp.resolve("bad-out.json")).doesNotExist();
    }
}
