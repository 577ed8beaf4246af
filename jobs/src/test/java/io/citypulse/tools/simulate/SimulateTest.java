package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as scripts/simulate runs it: exit codes, messages and files. */
class SimulateTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpPrintsUsageAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("Usage: scripts/simulate").contains("--tickets-per-hour");
    }

    @Test
    void aBadOptionExitsWithTwoAndSaysWhy() {
        assertThat(run("--hours", "2", "--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("error: unknown option --frobnicate").contains("--help");
        assertThat(out()).isEmpty();
    }

    @Test
    void writesJsonLinesWithoutKafkaAndSummarises(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/x.jsonl");
        assertThat(run("--no-kafka", "--hours", "2", "--jsonl", file.toString())).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSizeGreaterThan(300);
        assertThat(lines.get(0)).startsWith("{\"kind\":");
        assertThat(err())
                .contains("tickets: ")
                .contains("CREATED")
                .contains("leads: ")
                .contains("events/s");
    }

    @Test
    void jsonLinesToStandardOutputMatchTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.jsonl");
        assertThat(run("--no-kafka", "--hours", "1", "--seed", "8", "--jsonl", file.toString()))
                .isZero();
        out.reset();
        assertThat(run("--no-kafka", "--hours", "1", "--seed", "8", "--jsonl", "-")).isZero();
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void anUnwritableFileExitsWithOne(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("--no-kafka", "--jsonl", notADirectory.resolve("x.jsonl").toString()))
                .isEqualTo(1);
        assertThat(err()).contains("error: cannot write");
    }

    private int run(String... args) {
        return Simulate.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
