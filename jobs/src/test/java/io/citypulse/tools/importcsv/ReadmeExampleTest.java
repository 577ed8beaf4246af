package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.Urgency;
import io.citypulse.testutils.RepoPaths;
import io.citypulse.tools.simulate.CollectingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of scripts/mappings/README.md does what the README says it does. */
class ReadmeExampleTest {

    @TempDir Path dir;

    @Test
    void theWorkedExampleGivesTheEventsTheReadmeLists() throws Exception {
        String readme = Files.readString(RepoPaths.root().resolve("scripts/mappings/README.md"));
        String example = readme.substring(readme.indexOf("## Worked example"));
        Path csv = Files.writeString(dir.resolve("town.csv"), block(example, "```csv\n"));
        Mapping mapping = MappingLoader.parse(block(example, "```yaml\n"), "town.yaml");

        CollectingSink sink = new CollectingSink();
        ImportReport report = new ImportReport(10);
        new Importer(mapping, Importer.Order.TIME, true, Long.MAX_VALUE, report, r -> {})
                .run(csv, sink, Progress.disabled());

        Map<String, TicketEvent> events =
                sink.tickets().stream()
                        .collect(Collectors.toMap(TicketEvent::getEventId, Function.identity()));
        assertThat(events)
                .containsOnlyKeys(
                        "town-hotline:C-1:CREATED",
                        "town-hotline:C-1:DISPATCHED",
                        "town-hotline:C-1:CLOSED",
                        "town-hotline:C-2:CREATED");
        TicketEvent created = events.get("town-hotline:C-1:CREATED");
        assertThat(created.getEventTime()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(created.getAgency()).isNull();
        assertThat(created.getDueTime()).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
        assertThat(created.getCategoryCode()).isEqualTo("NOISE-CONSTRUCTION");
        assertThat(created.getCategoryMajor()).isEqualTo("NOISE");
        assertThat(created.getDistrict()).isEqualTo("Ward 7");
        assertThat(created.getChannel()).isEqualTo("HOTLINE");
        assertThat(created.getUrgency()).isEqualTo(Urgency.GENERAL);
        assertThat(events.get("town-hotline:C-1:DISPATCHED").getEventTime())
                .isEqualTo(Instant.parse("2026-11-02T00:20:00Z"));
        assertThat(events.get("town-hotline:C-1:DISPATCHED").getAgency())
                .isEqualTo("URBAN_MANAGEMENT");
        assertThat(events.get("town-hotline:C-1:CLOSED").getEventTime())
                .isEqualTo(Instant.parse("2026-11-03T04:00:00Z"));
        TicketEvent second = events.get("town-hotline:C-2:CREATED");
        assertThat(second.getEventTime()).isEqualTo(Instant.parse("2026-11-02T01:15:00Z"));
        assertThat(second.getCategoryCode()).isEqualTo("WATER-LEAK");
        assertThat(second.getCategoryMajor()).isEqualTo("WATER");
        assertThat(second.getDistrict()).isEqualTo("Unknown");
        assertThat(second.getChannel()).isEqualTo("APP");
        assertThat(second.getUrgency()).isEqualTo(Urgency.EMERGENCY);
        assertThat(second.getDueTime()).isNull();
    }

    private static String block(String markdown, String fence) {
        int start = markdown.indexOf(fence) + fence.length();
        return markdown.substring(start, markdown.indexOf("```", start));
    }
}
