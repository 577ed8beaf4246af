package io.citypulse.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ground truth against what was injected, counted independently of the simulator: the same
 * command is run with and without an incidents file, the injected events are the difference of the
 * two JSON-lines files (by eventId), each is attributed to the one incident whose scope it fits,
 * and the counts must equal the truth file's. The ordinary events must be untouched.
 */
class IncidentInjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] RUN = {
        "--no-kafka", "--start", "2026-11-02", "--days", "2", "--seed", "11"
    };

    @TempDir static Path dir;

    private static List<JsonNode> baseline;
    private static List<JsonNode> withIncidents;
    private static List<String> baselineLines;
    private static List<String> withIncidentsLines;
    private static JsonNode truth;

    @BeforeAll
    static void simulateWithAndWithoutIncidents() throws IOException {
        Path incidents =
                Files.writeString(
                        dir.resolve("incidents.yaml"),
                        """
                        incidents:
                          - id: burst
                            category: WATER-PIPE-BURST
                            district: Baoan
                            start: 2026-11-02T08:00
                            duration: 3h
                            multiplier: 20
                            leads: {before: 3h, multiplier: 300}
                          - id: noise-night
                            category: NOISE
                            start: 2026-11-02T01:00
                            end: 2026-11-02T05:00
                            multiplier: 4
                          - id: prepaid
                            category: CONSUMER
                            district: Futian
                            start: 2026-11-03T20:00
                            duration: 1d
                            multiplier: 6
                            leads: {before: 30m, multiplier: 15}
                        """);
        Path plain = dir.resolve("plain.jsonl");
        Path injected = dir.resolve("injected.jsonl");
        Path truthFile = dir.resolve("truth.json");
        run(concat(RUN, "--jsonl", plain.toString()));
        run(
                concat(
                        RUN,
                        "--jsonl",
                        injected.toString(),
                        "--incidents",
                        incidents.toString(),
                        "--truth",
                        truthFile.toString()));
        baselineLines = Files.readAllLines(plain);
        withIncidentsLines = Files.readAllLines(injected);
        baseline = parse(baselineLines);
        withIncidents = parse(withIncidentsLines);
        truth = JSON.readTree(truthFile.toFile());
    }

    @Test
    void theOrdinaryEventsAreExactlyTheSameWithOrWithoutIncidents() {
        Set<String> ordinary = new HashSet<>();
        baseline.forEach(e -> ordinary.add(e.get("eventId").asText()));
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < withIncidents.size(); i++) {
            if (ordinary.contains(withIncidents.get(i).get("eventId").asText())) {
                kept.add(withIncidentsLines.get(i));
            }
        }
        assertThat(kept).isEqualTo(baselineLines);
    }

    @Test
    void theTruthFileCountsWhatWasInjected() {
        Map<String, Counts> counted = countInjected();
        assertThat(truth.get("incidents")).hasSize(3);
        for (JsonNode incident : truth.get("incidents")) {
            String id = incident.get("id").asText();
            Counts c = counted.getOrDefault(id, new Counts());
            assertThat(incident.get("actualExtraTickets").asLong()).as(id).isEqualTo(c.tickets);
            assertThat(incident.get("actualExtraTicketsFromLeads").asLong())
                    .as(id)
                    .isEqualTo(c.ticketsFromLeads);
            assertThat(incident.get("actualExtraLeads").asLong()).as(id).isEqualTo(c.leads);
            // Poisson counts: well within four standard deviations of the expectation.
            double expected = incident.get("expectedExtraTickets").asDouble();
            assertThat(expected).as(id).isGreaterThan(30);
            assertThat((double) c.tickets)
                    .as(id)
                    .isBetween(
                            expected - 4 * Math.sqrt(expected) - 2,
                            expected + 4 * Math.sqrt(expected) + 2);
            assertThat(incident.get("expectedExtraTickets").asDouble())
                    .as("%s: (multiplier - 1) x baseline, plus conversions", id)
                    .isGreaterThanOrEqualTo(
                            (incident.get("multiplier").asDouble() - 1)
                                            * incident.get("baselineTickets").asDouble()
                                    - 0.01);
        }
        assertThat(counted.keySet()).containsExactlyInAnyOrder("burst", "noise-night", "prepaid");
        assertThat(counted.get("burst").leads).isGreaterThan(20);
    }

    @Test
    void theTruthFileDescribesTheIncidentsAsDefined() {
        JsonNode burst = truth.get("incidents").get(0);
        assertThat(burst.get("categoryMajor").asText()).isEqualTo("WATER");
        assertThat(burst.get("categoryCode").asText()).isEqualTo("WATER-PIPE-BURST");
        assertThat(burst.get("district").asText()).isEqualTo("Baoan");
        assertThat(burst.get("startLocal").asText()).isEqualTo("2026-11-02T08:00:00+08:00");
        assertThat(burst.get("end").asLong() - burst.get("start").asLong())
                .isEqualTo(3 * 3_600_000L);
        assertThat(burst.get("leadDriven").asBoolean()).isTrue();
        assertThat(burst.get("start").asLong() - burst.get("leadStart").asLong())
                .isEqualTo(3 * 3_600_000L);
        JsonNode night = truth.get("incidents").get(1);
        assertThat(night.get("categoryCode").isNull()).isTrue();
        assertThat(night.get("district").isNull()).isTrue();
        assertThat(night.get("leadDriven").asBoolean()).isFalse();
        assertThat(truth.get("seed").asLong()).isEqualTo(11);
        assertThat(truth.get("faults").get("duplicates").asLong()).isZero();
    }

    @Test
    void leadsLeadTicketsInALeadDrivenIncident() {
        JsonNode burst = truth.get("incidents").get(0);
        long leadStart = burst.get("leadStart").asLong();
        long start = burst.get("start").asLong();
        List<Long> leadCaptures = new ArrayList<>();
        List<Long> citizenTickets = new ArrayList<>();
        for (JsonNode e : injected()) {
            if (!"WATER".equals(e.get("categoryMajor").asText())) {
                continue;
            }
            long t = e.get("eventTime").asLong();
            if (e.get("kind").asText().equals("lead")
                    && e.get("type").asText().equals("CAPTURED")) {
                leadCaptures.add(t);
            } else if (e.get("kind").asText().equals("ticket")
                    && e.get("type").asText().equals("CREATED")
                    && e.get("sourceLeadId").isNull()) {
                citizenTickets.add(t);
            }
        }
        assertThat(leadCaptures).allMatch(t -> t >= leadStart);
        assertThat(leadCaptures.stream().filter(t -> t < start).count())
                .as("posts before the first call")
                .isPositive();
        assertThat(citizenTickets).allMatch(t -> t >= start && t < burst.get("end").asLong());
    }

    /** Per incident: the injected CREATED tickets (and from leads) and CAPTURED leads. */
    private static Map<String, Counts> countInjected() {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (JsonNode e : injected()) {
            String incident = scopeOf(e);
            Counts c = counts.computeIfAbsent(incident, k -> new Counts());
            String type = e.get("type").asText();
            if (e.get("kind").asText().equals("ticket") && type.equals("CREATED")) {
                c.tickets++;
                if (!e.get("sourceLeadId").isNull()) {
                    c.ticketsFromLeads++;
                }
            } else if (e.get("kind").asText().equals("lead") && type.equals("CAPTURED")) {
                c.leads++;
            }
        }
        return counts;
    }

    /** The one incident whose scope (category, district, time) the injected event fits. */
    private static String scopeOf(JsonNode e) {
        Map<String, JsonNode> byId = new HashMap<>();
        truth.get("incidents").forEach(i -> byId.put(i.get("id").asText(), i));
        List<String> fits = new ArrayList<>();
        for (JsonNode i : truth.get("incidents")) {
            if (!i.get("categoryMajor").asText().equals(e.get("categoryMajor").asText())) {
                continue;
            }
            if (!i.get("categoryCode").isNull()
                    && !i.get("categoryCode").asText().equals(e.get("categoryCode").asText())) {
                continue;
            }
            // A lead's district may be unknown; a ticket's is always set.
            JsonNode district = e.get("district");
            if (!i.get("district").isNull()
                    && !district.isNull()
                    && !i.get("district").asText().equals(district.asText())) {
                continue;
            }
            long from =
                    i.get("leadStart").isNull()
                            ? i.get("start").asLong()
                            : i.get("leadStart").asLong();
            if (e.get("eventTime").asLong() < from) {
                continue;
            }
            fits.add(i.get("id").asText());
        }
        assertThat(fits).as("incidents whose scope fits %s", e).hasSize(1);
        return fits.get(0);
    }

    private static List<JsonNode> injected() {
        Set<String> ordinary = new HashSet<>();
        baseline.forEach(e -> ordinary.add(e.get("eventId").asText()));
        return withIncidents.stream()
                .filter(e -> !ordinary.contains(e.get("eventId").asText()))
                .toList();
    }

    private static final class Counts {
        long tickets;
        long ticketsFromLeads;
        long leads;
    }

    private static List<JsonNode> parse(List<String> lines) throws IOException {
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static void run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                Simulate.run(
                        args,
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
