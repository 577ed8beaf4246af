package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    @Test
    void writesTheTruthFileAndMarksFaultsInTheJsonLines(@TempDir Path dir) throws IOException {
        Path jsonl = dir.resolve("x.jsonl");
        Path truth = dir.resolve("out/truth.json");
        assertThat(
                        run(
                                "--no-kafka",
                                "--hours",
                                "6",
                                "--random-incidents",
                                "2",
                                "--truth",
                                truth.toString(),
                                "--duplicates",
                                "0.02",
                                "--late",
                                "0.01",
                                "--late-by",
                                "1h",
                                "--malformed",
                                "0.01",
                                "--jsonl",
                                jsonl.toString()))
                .as(err())
                .isZero();
        JsonNode json = new ObjectMapper().readTree(truth.toFile());
        assertThat(json.get("incidents")).hasSize(2);
        List<String> lines = Files.readAllLines(jsonl);
        long duplicates = lines.stream().filter(l -> l.contains("\"fault\":\"duplicate\"")).count();
        long late = lines.stream().filter(l -> l.contains("\"fault\":\"late\"")).count();
        long malformed = lines.stream().filter(l -> l.contains("\"fault\":\"malformed\"")).count();
        assertThat(duplicates)
                .isPositive()
                .isEqualTo(json.get("faults").get("duplicates").asLong());
        assertThat(late).isPositive().isEqualTo(json.get("faults").get("late").asLong());
        assertThat(malformed).isPositive().isEqualTo(json.get("faults").get("malformed").asLong());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).endsWith(",\"deliverySeq\":" + (i + 1) + "}");
        }
        assertThat(err()).contains("incident I1:").contains("DUPLICATE").contains("MALFORMED");
    }

    @Test
    void aBadIncidentsFileExitsWithTwoNamingTheProblem(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("i.yaml"), "incidents:\n  - category: NOISY\n");
        assertThat(run("--no-kafka", "--incidents", file.toString())).isEqualTo(2);
        assertThat(err()).contains("error: --incidents:").contains("incident 1").contains("NOISY");
        assertThat(run("--no-kafka", "--incidents", dir.resolve("missing.yaml").toString()))
                .isEqualTo(2);
        assertThat(err()).contains("no such file");
    }

    @Test
    void knobsOnTheCommandLineChangeTheEmittedShares(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.jsonl");
        assertThat(
                        run(
                                "--no-kafka",
                                "--days",
                                "1",
                                "--return-share",
                                "0.2",
                                "--emergency-share",
                                "0.25",
                                "--jsonl",
                                file.toString()))
                .isZero();
        ObjectMapper mapper = new ObjectMapper();
        Map<String, List<JsonNode>> byTicket = new java.util.HashMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode e = mapper.readTree(line);
            if (e.get("kind").asText().equals("ticket")) {
                byTicket.computeIfAbsent(
                                e.get("ticketId").asText(), k -> new java.util.ArrayList<>())
                        .add(e);
            }
        }
        long tickets = byTicket.size();
        long emergency =
                byTicket.values().stream()
                        .filter(l -> l.get(0).get("urgency").asText().equals("EMERGENCY"))
                        .count();
        long dispatched = byTicket.values().stream().filter(l -> l.size() > 1).count();
        long returned =
                byTicket.values().stream()
                        .filter(
                                l ->
                                        l.stream()
                                                .anyMatch(
                                                        e ->
                                                                e.get("type")
                                                                        .asText()
                                                                        .equals("RETURNED")))
                        .count();
        // ~13,000 tickets: standard deviations ~0.4 points each.
        assertThat((double) emergency / tickets).isCloseTo(0.25, within(0.02));
        assertThat((double) returned / dispatched).isCloseTo(0.2, within(0.02));
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
