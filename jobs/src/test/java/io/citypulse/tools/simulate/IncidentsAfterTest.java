package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --incidents-after DUR}: a warm-up without random incidents, for scoring a detector that
 * first has to learn the usual levels. Everything else stays as it was.
 */
class IncidentsAfterTest {

    private static final Map<String, String> NO_ENV = Map.of();
    private static final long DAY_MS = 86_400_000L;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void parsesTheWarmUpAndDefaultsToNone() throws UsageException {
        assertThat(SimulateConfig.parse(new String[0], NO_ENV).incidentsAfter())
                .isEqualTo(Duration.ZERO);
        SimulateConfig config =
                SimulateConfig.parse(
                        new String[] {
                            "--days", "35", "--random-incidents", "40", "--incidents-after=7d"
                        },
                        NO_ENV);
        assertThat(config.incidentsAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(config.randomIncidents()).isEqualTo(40);
    }

    @Test
    void rejectsAWarmUpThatCannotApply() {
        assertThatThrownBy(
                        () ->
                                SimulateConfig.parse(
                                        new String[] {"--days", "2", "--incidents-after", "1d"},
                                        NO_ENV))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--random-incidents");
        assertThatThrownBy(
                        () ->
                                SimulateConfig.parse(
                                        new String[] {
                                            "--days",
                                            "2",
                                            "--random-incidents",
                                            "3",
                                            "--incidents-after",
                                            "2d"
                                        },
                                        NO_ENV))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("shorter than the simulated window");
        assertThatThrownBy(
                        () ->
                                SimulateConfig.parse(
                                        new String[] {
                                            "--random-incidents", "3", "--incidents-after", "soon"
                                        },
                                        NO_ENV))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--incidents-after");
        assertThat(
                        Simulate.run(
                                new String[] {"--days", "2", "--incidents-after", "1d"},
                                NO_ENV,
                                new PrintStream(new ByteArrayOutputStream()),
                                new PrintStream(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --incidents-after");
    }

    @Test
    void randomIncidentsStartOnlyAfterTheWarmUpAndAreTheWindowsDraw(@TempDir Path dir)
            throws IOException, UsageException {
        Path truth = dir.resolve("truth.json");
        assertThat(
                        run(
                                "--no-kafka",
                                "--scale",
                                "0.02",
                                "--days",
                                "10",
                                "--random-incidents",
                                "30",
                                "--incidents-after",
                                "4d",
                                "--truth",
                                truth.toString()))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        JsonNode json = new ObjectMapper().readTree(truth.toFile());
        long start = json.get("start").asLong();
        long end = json.get("end").asLong();
        assertThat(json.get("incidentsFrom").asLong()).isEqualTo(start + 4 * DAY_MS);
        assertThat(json.get("incidents")).hasSize(30);
        for (JsonNode incident : json.get("incidents")) {
            assertThat(incident.get("start").asLong())
                    .as(incident.get("id").asText())
                    .isGreaterThanOrEqualTo(start + 4 * DAY_MS);
            assertThat(incident.get("end").asLong()).isLessThanOrEqualTo(end);
        }
        // Exactly the incidents drawn for the window [start + 4d, end): deterministic, seeded.
        SimulateConfig config =
                SimulateConfig.parse(
                        new String[] {
                            "--scale",
                            "0.02",
                            "--days",
                            "10",
                            "--random-incidents",
                            "30",
                            "--incidents-after",
                            "4d"
                        },
                        NO_ENV);
        var expected =
                new Simulator(
                                config.seed(),
                                CityModel.shenzhen(),
                                io.citypulse.catalogue.Catalogue.load(),
                                config.settings())
                        .randomIncidents(30, start + 4 * DAY_MS, end);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode incident = json.get("incidents").get(i);
            assertThat(incident.get("start").asLong()).isEqualTo(expected.get(i).startMs());
            assertThat(incident.get("categoryMajor").asText())
                    .isEqualTo(expected.get(i).categoryMajor());
            assertThat(incident.get("multiplier").asDouble())
                    .isEqualTo(expected.get(i).multiplier());
        }
    }

    @Test
    void withoutTheOptionTheRunIsByteForByteWhatItWas(@TempDir Path dir) throws IOException {
        Path before = dir.resolve("before.json");
        Path zero = dir.resolve("zero.json");
        Path beforeEvents = dir.resolve("before.jsonl");
        Path zeroEvents = dir.resolve("zero.jsonl");
        String[] common = {"--no-kafka", "--scale", "0.05", "--hours", "12"};
        assertThat(
                        run(
                                concat(
                                        common,
                                        "--random-incidents",
                                        "3",
                                        "--truth",
                                        before.toString(),
                                        "--jsonl",
                                        beforeEvents.toString())))
                .isZero();
        assertThat(
                        run(
                                concat(
                                        common,
                                        "--random-incidents",
                                        "3",
                                        "--incidents-after",
                                        "0s",
                                        "--truth",
                                        zero.toString(),
                                        "--jsonl",
                                        zeroEvents.toString())))
                .isZero();
        assertThat(Files.readString(zero)).isEqualTo(Files.readString(before));
        assertThat(Files.readString(before)).doesNotContain("incidentsFrom");
        assertThat(Files.mismatch(zeroEvents, beforeEvents)).isEqualTo(-1L);
    }

    private int run(String... args) {
        return Simulate.run(
                args, NO_ENV, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
