package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.testutils.RepoPaths;
import io.citypulse.tools.simulate.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped mappings on the two real 311 exports in {@code shared/data}, checked against an
 * oracle that shares no code with the importer: lines split with a regular expression, times read
 * with {@link SimpleDateFormat} (java.text, not java.time), expectations counted in a few lines.
 */
class RealSamplesTest {

    /** Splits on commas outside double quotes (the samples have no line breaks inside quotes). */
    private static final Pattern SPLIT = Pattern.compile(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");

    @TempDir Path dir;

    @Test
    void baltimore() throws Exception {
        check(
                "baltimore.yaml",
                "baltimore_311_sample.csv",
                "America/New_York",
                "ServiceRequestNum",
                "CreatedDate",
                "CloseDate",
                "DueDate");
    }

    @Test
    void losAngeles() throws Exception {
        check(
                "los-angeles.yaml",
                "la_311_2017_subset.csv",
                "America/Los_Angeles",
                "SRNumber",
                "CreatedDate",
                "ClosedDate",
                null);
    }

    private void check(
            String mappingName,
            String csvName,
            String zone,
            String idColumn,
            String createdColumn,
            String closedColumn,
            String dueColumn)
            throws Exception {
        Path csv = sharedData().resolve(csvName);
        Oracle oracle = new Oracle(csv, zone, idColumn, createdColumn, closedColumn, dueColumn);
        Path out = dir.resolve("out.jsonl");
        Path rejects = dir.resolve("rejects.csv");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        RepoPaths.root()
                                .resolve("scripts/mappings")
                                .resolve(mappingName)
                                .toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString(),
                        "--rejects",
                        rejects.toString());
        assertThat(run.exit()).as(run.err()).isZero();

        List<TicketEvent> events =
                JsonLines.read(out).stream().map(TicketEvent.class::cast).toList();
        Map<TicketEventType, Long> perType =
                events.stream()
                        .collect(
                                Collectors.groupingBy(TicketEvent::getType, Collectors.counting()));
        assertThat(perType)
                .containsOnlyKeys(
                        oracle.closed.isEmpty()
                                ? Set.of(TicketEventType.CREATED)
                                : Set.of(TicketEventType.CREATED, TicketEventType.CLOSED));
        assertThat(perType.get(TicketEventType.CREATED)).isEqualTo(oracle.created.size());
        assertThat(perType.getOrDefault(TicketEventType.CLOSED, 0L))
                .isEqualTo(oracle.closed.size());

        // Every event at the instant the oracle reads from the CSV; due times likewise.
        for (TicketEvent event : events) {
            Map<String, Long> expected =
                    event.getType() == TicketEventType.CREATED ? oracle.created : oracle.closed;
            assertThat(event.getEventTime().toEpochMilli())
                    .as(event.getEventId())
                    .isEqualTo(expected.get(event.getTicketId()));
            assertThat(event.getDueTime() == null ? null : event.getDueTime().toEpochMilli())
                    .as(event.getEventId())
                    .isEqualTo(oracle.due.get(event.getTicketId()));
            assertThat(event.getEventId())
                    .endsWith(":" + event.getTicketId() + ":" + event.getType());
        }
        assertThat(events).extracting(e -> e.getEventTime().toEpochMilli()).isSorted();

        // Rejected rows: the same lines, for the same reasons.
        List<String> expectedRejects = new ArrayList<>();
        oracle.rejected.forEach((line, reason) -> expectedRejects.add(line + "," + reason));
        assertThat(
                        Files.readAllLines(rejects).stream()
                                .skip(1)
                                .map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1)))
                                .toList())
                .containsExactlyElementsOf(expectedRejects);

        assertThat(run.err())
                .containsPattern(String.format(Locale.ROOT, "rows read +%,d\\n", oracle.rows))
                .containsPattern(
                        String.format(Locale.ROOT, "rows rejected +%,d\\n", oracle.rejected.size()))
                .containsPattern(
                        String.format(Locale.ROOT, "  CREATED +%,d\\n", oracle.created.size()));
        if (oracle.dstGaps > 0) {
            assertThat(run.err())
                    .contains(
                            "note: "
                                    + oracle.dstGaps
                                    + " local times fell in a daylight-saving gap");
        } else {
            assertThat(run.err()).doesNotContain("daylight-saving");
        }
    }

    /** {@code <repository root>/../shared/data}, where CI and developers have the samples. */
    static Path sharedData() {
        String override = System.getProperty("citypulse.shared.data");
        Path data =
                override != null
                        ? Path.of(override)
                        : RepoPaths.root().resolve("../shared/data").normalize();
        assertThat(data.resolve("README.md"))
                .as("the real samples are expected in " + data + " (shared/ beside the repository)")
                .exists();
        return data;
    }

    /** What the importer should make of a sample, computed independently. */
    private static final class Oracle {
        long rows;

        /** ticketId -> epoch ms, for imported rows. */
        final Map<String, Long> created = new HashMap<>();

        final Map<String, Long> closed = new HashMap<>();
        final Map<String, Long> due = new HashMap<>();
        long dstGaps;
        private final SimpleDateFormat format;
        private final SimpleDateFormat lenient;

        /** line -> reason, in file order. */
        final Map<Long, String> rejected = new java.util.LinkedHashMap<>();

        Oracle(
                Path csv,
                String zone,
                String idColumn,
                String createdColumn,
                String closedColumn,
                String dueColumn)
                throws IOException, ParseException {
            format = new SimpleDateFormat("MM/dd/yyyy hh:mm:ss a", Locale.US);
            format.setTimeZone(TimeZone.getTimeZone(zone));
            format.setLenient(false);
            // A local time that does not exist (spring forward) is read as standard time, i.e.
            // moved forward by the gap: what a lenient calendar does.
            lenient = (SimpleDateFormat) format.clone();
            lenient.setLenient(true);
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            List<String> header = List.of(SPLIT.split(lines.get(0), -1));
            Set<String> seen = new HashSet<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = SPLIT.split(lines.get(i), -1);
                pendingGaps = 0;
                assertThat(cells).as("line " + (i + 1)).hasSize(header.size());
                rows++;
                String id = cells[header.indexOf(idColumn)];
                long line = i + 1;
                if (id.isEmpty()) {
                    rejected.put(line, "missing-id");
                    continue;
                }
                long createdAt = parse(cells[header.indexOf(createdColumn)]);
                String closedText = cells[header.indexOf(closedColumn)];
                Long closedAt = closedText.isEmpty() ? null : parse(closedText);
                if (closedAt != null && closedAt < createdAt) {
                    rejected.put(line, "closed-before-created");
                    continue;
                }
                if (!seen.add(id)) {
                    rejected.put(line, "duplicate-id");
                    continue;
                }
                String dueText = dueColumn == null ? "" : cells[header.indexOf(dueColumn)];
                due.put(id, dueText.isEmpty() ? null : parse(dueText));
                created.put(id, createdAt);
                if (closedAt != null) {
                    closed.put(id, closedAt);
                }
                dstGaps += pendingGaps;
            }
        }

        private int pendingGaps;

        private long parse(String text) throws ParseException {
            try {
                return format.parse(text).getTime();
            } catch (ParseException e) {
                pendingGaps++;
                return lenient.parse(text).getTime();
            }
        }
    }
}
