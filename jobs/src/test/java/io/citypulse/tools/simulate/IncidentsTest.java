package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.CATALOGUE;
import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.SHANGHAI;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incidents file format and random incidents. */
class IncidentsTest {

    private static final CityModel CITY = CityModel.shenzhen();
    private static final long HOUR = 3_600_000L;

    @TempDir Path dir;

    @Test
    void readsTheDocumentedYamlFormat() throws IOException {
        Path file =
                write(
                        "incidents.yaml",
                        """
                        incidents:
                          - id: burst-baoan
                            category: WATER-PIPE-BURST
                            district: Baoan
                            start: 2026-11-02T08:00
                            duration: 3h
                            multiplier: 6
                            leads:
                              before: 2h
                              multiplier: 10
                          - category: NOISE
                            start: 2026-11-02T01:00+08:00
                            end: 2026-11-02T05:30
                            multiplier: 2.5
                        """);
        List<Incident> incidents = Incidents.read(file, SHANGHAI, CATALOGUE, CITY);
        long eight = MONDAY.toEpochMilli() + 8 * HOUR;
        assertThat(incidents)
                .containsExactly(
                        new Incident(
                                "burst-baoan",
                                "WATER",
                                "WATER-PIPE-BURST",
                                "Baoan",
                                eight,
                                eight + 3 * HOUR,
                                6,
                                eight - 2 * HOUR,
                                10),
                        new Incident(
                                "I2",
                                "NOISE",
                                null,
                                null,
                                MONDAY.toEpochMilli() + HOUR,
                                MONDAY.toEpochMilli() + 5 * HOUR + HOUR / 2,
                                2.5,
                                null,
                                1));
        assertThat(incidents.get(1).leadDriven()).isFalse();
    }

    @Test
    void readsTheSameStructureAsJsonIncludingATopLevelList() throws IOException {
        Path file =
                write(
                        "incidents.json",
                        """
                        [{"category": "CONSUMER-PREPAID-CARD", "start": "2026-11-02T00:00Z",
                          "duration": "PT90M", "multiplier": 3,
                          "leads": {"start": "2026-11-01T23:00Z", "multiplier": 4}}]
                        """);
        Incident incident = Incidents.read(file, SHANGHAI, CATALOGUE, CITY).get(0);
        assertThat(incident.categoryMajor()).isEqualTo("CONSUMER");
        assertThat(incident.categoryCode()).isEqualTo("CONSUMER-PREPAID-CARD");
        assertThat(Instant.ofEpochMilli(incident.startMs()))
                .isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(incident.endMs() - incident.startMs()).isEqualTo(90 * 60_000L);
        assertThat(Instant.ofEpochMilli(incident.leadStartMs()))
                .isEqualTo(Instant.parse("2026-11-01T23:00:00Z"));
    }

    @Test
    void rejectsMistakesNamingTheIncidentAndTheProblem() throws IOException {
        String base =
                "  - category: NOISE\n    start: 2026-11-02T08:00\n    duration: 1h\n    multiplier: 3\n";
        assertBad("incidents:\n" + base + "    colour: red\n", "incident 1: unknown key 'colour'");
        assertBad(
                "incidents:\n  - category: NOISY\n    start: 2026-11-02T08:00\n    duration: 1h\n    multiplier: 3\n",
                "neither a major nor an item");
        assertBad(
                "incidents:\n" + base + "    district: Atlantis\n", "unknown district 'Atlantis'");
        assertBad(
                "incidents:\n" + base.replace("duration: 1h", "duration: soon"),
                "cannot read 'soon' as a duration");
        assertBad(
                "incidents:\n" + base + "    end: 2026-11-02T09:00\n",
                "exactly one of 'end' and 'duration'");
        assertBad(
                "incidents:\n" + base.replace("multiplier: 3", "multiplier: 0.5"),
                "multiplier must be between 1");
        assertBad(
                "incidents:\n" + base.replace("start: 2026-11-02T08:00", "start: tuesday"),
                "'start': cannot read 'tuesday'");
        assertBad(
                "incidents:\n" + base + base.replace("multiplier: 3", "multiplier: many"),
                "incident 2: 'multiplier' must be a number");
        assertBad("incidents:\n" + base + "    id: x\n" + base + "    id: x\n", "duplicate id x");
        assertBad(
                "incidents:\n" + base + "    leads:\n      multiplier: 3\n",
                "exactly one of 'before' and 'start'");
        assertBad("events: []\n", "unknown top-level key 'events'");
        assertBad("incidents: [\n", "incidents.yaml");
    }

    private void assertBad(String yaml, String message) throws IOException {
        Path file = write("incidents.yaml", yaml);
        assertThatThrownBy(() -> Incidents.read(file, SHANGHAI, CATALOGUE, CITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void randomIncidentsAreDeterministicInsideTheWindowAndLargeEnoughToMatter() {
        long start = MONDAY.toEpochMilli();
        long end = MONDAY.plus(Duration.ofDays(14)).toEpochMilli();
        Simulator simulator = new Simulator(3, CITY, CATALOGUE, defaults());
        TicketGenerator tickets = new TicketGenerator(3, CITY, CATALOGUE, defaults());
        List<Incident> incidents = simulator.randomIncidents(40, start, end);
        assertThat(incidents).hasSize(40).isEqualTo(simulator.randomIncidents(40, start, end));
        assertThat(new Simulator(4, CITY, CATALOGUE, defaults()).randomIncidents(40, start, end))
                .isNotEqualTo(incidents);
        for (Incident i : incidents) {
            Incidents.validate(i, CATALOGUE, CITY);
            assertThat(i.startMs()).isGreaterThanOrEqualTo(start);
            assertThat(i.endMs()).isLessThanOrEqualTo(end);
            double usual =
                    tickets.expectedScopeTickets(
                            i,
                            i.categoryCode() == null ? null : CATALOGUE.item(i.categoryCode()),
                            i.startMs(),
                            i.endMs());
            assertThat((i.multiplier() - 1) * usual)
                    .as(i.toString())
                    .isGreaterThanOrEqualTo(Incidents.MIN_RANDOM_EXTRA_TICKETS * 0.99);
        }
        // The mix the documentation promises: some in one district, some on one item, some
        // lead-driven, some sustained over days.
        assertThat(incidents)
                .anyMatch(i -> i.district() != null)
                .anyMatch(i -> i.district() == null);
        assertThat(incidents).anyMatch(i -> i.categoryCode() != null);
        assertThat(incidents).anyMatch(Incident::leadDriven).anyMatch(i -> !i.leadDriven());
        assertThat(incidents)
                .anyMatch(i -> i.endMs() - i.startMs() >= Duration.ofDays(2).toMillis());
        assertThat(incidents.stream().filter(Incident::leadDriven))
                .allMatch(i -> i.leadStartMs() < i.startMs());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
