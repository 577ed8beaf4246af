package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.testutils.RepoPaths;
import io.citypulse.tools.simulate.CollectingSink;
import io.citypulse.tools.simulate.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lead exports, on the invented example shipped in scripts/mappings and on bad rows. */
class LeadImportTest {

    private static final Path MAPPINGS = RepoPaths.root().resolve("scripts/mappings");

    @TempDir Path dir;

    @Test
    void theInventedExampleBecomesTheLeadLifecycles() throws Exception {
        Path out = dir.resolve("leads.jsonl");
        ImportRun run =
                ImportRun.of(
                        "--kind",
                        "leads",
                        "--mapping",
                        MAPPINGS.resolve("invented-example-leads.yaml").toString(),
                        "--csv",
                        MAPPINGS.resolve("invented-example-leads.csv").toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<SpecificRecord> records = JsonLines.read(out);
        assertThat(records).allSatisfy(r -> assertThat(r).isInstanceOf(LeadEvent.class));
        List<LeadEvent> events = records.stream().map(LeadEvent.class::cast).toList();
        // Counted by hand from the 8 rows of the example.
        assertThat(
                        events.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                LeadEvent::getType, Collectors.counting())))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                LeadEventType.CAPTURED, 8L,
                                LeadEventType.VERIFIED_VALID, 4L,
                                LeadEventType.VERIFIED_INVALID, 2L,
                                LeadEventType.CONVERTED, 3L));
        assertThat(run.err())
                .containsPattern("rows read +8\\n")
                .containsPattern("rows rejected +0\\n");

        List<LeadEvent> first = of(events, "L-0001");
        assertThat(first)
                .extracting(LeadEvent::getType)
                .containsExactly(
                        LeadEventType.CAPTURED,
                        LeadEventType.VERIFIED_VALID,
                        LeadEventType.CONVERTED);
        assertThat(first)
                .extracting(LeadEvent::getEventTime)
                .containsExactly(
                        Instant.parse("2026-11-02T00:05:00Z"),
                        Instant.parse("2026-11-02T00:40:00Z"),
                        Instant.parse("2026-11-02T01:10:00Z"));
        assertThat(first).extracting(LeadEvent::getTicketId).containsExactly(null, null, "T-9001");
        assertThat(first.get(0).getEventId()).isEqualTo("example-leads:L-0001:CAPTURED");
        assertThat(first.get(0).getPlatform()).isEqualTo("DOUYIN");
        assertThat(first.get(0).getCategoryCode()).isEqualTo("CONSUMER-PREPAID-CARD");
        assertThat(first.get(0).getCategoryMajor()).isEqualTo("CONSUMER");
        assertThat(first.get(0).getContentFingerprint()).isEqualTo("example-leads:L-0001");
        assertThat(first.get(0).getEngagement()).isEqualTo(5230L);
        assertThat(first.get(0).getClassifierConfidence()).isEqualTo(1.0f);

        // No verification or conversion time: dated at capture.
        assertThat(of(events, "L-0003"))
                .extracting(LeadEvent::getEventTime)
                .containsOnly(Instant.parse("2026-11-02T00:30:00Z"));
        assertThat(of(events, "L-0003").get(0).getCategoryMajor()).isEqualTo("ROADS");
        assertThat(of(events, "L-0004"))
                .extracting(LeadEvent::getType)
                .containsExactly(LeadEventType.CAPTURED);
        assertThat(of(events, "L-0004").get(0).getEngagement()).isNull();
        assertThat(of(events, "L-0004").get(0).getDistrict()).isEqualTo("Bao'an");
        assertThat(of(events, "L-0006"))
                .extracting(LeadEvent::getType)
                .containsExactly(LeadEventType.CAPTURED);
        assertThat(of(events, "L-0008").get(0).getPlatform()).isEqualTo("WECHAT_CHANNELS");
    }

    @Test
    void contradictoryLeadRowsAreRejected() throws Exception {
        Path csv =
                Files.writeString(
                        dir.resolve("leads.csv"),
                        Files.readAllLines(MAPPINGS.resolve("invented-example-leads.csv")).get(0)
                                + "\n"
                                + "B1,2026-11-02 08:00:00,Weibo,x,Futian,invalid,,T-1,,\n"
                                + "B2,2026-11-02 08:00:00,Weibo,x,Futian,valid,,,2026-11-02 09:00:00,\n"
                                + "B3,2026-11-02 08:00:00,Weibo,x,Futian,valid,2026-11-02 07:00:00,,,\n"
                                + "B4,2026-11-02 08:00:00,Weibo,x,Futian,maybe,,,,\n"
                                + "B5,2026-11-02 08:00:00,Weibo,x,Futian,valid,,,,many\n"
                                + "B6,2026-11-02 08:00:00,,x,Futian,valid,,,,\n");
        ImportReport report = new ImportReport(10);
        CollectingSink sink = new CollectingSink();
        new Importer(
                        MappingLoader.load(MAPPINGS.resolve("invented-example-leads.yaml")),
                        Importer.Order.TIME,
                        false,
                        Long.MAX_VALUE,
                        report,
                        r -> {})
                .run(csv, sink, Progress.disabled());
        assertThat(report.rejectedByReason())
                .containsExactly(
                        Map.entry("converted-not-valid", 1L),
                        Map.entry("converted-without-ticket", 1L),
                        Map.entry("verified-before-captured", 1L),
                        Map.entry("unmapped-outcome", 1L),
                        Map.entry("bad-engagement", 1L),
                        Map.entry("missing-platform", 1L));
        assertThat(sink.leads()).isEmpty();
    }

    private static List<LeadEvent> of(List<LeadEvent> events, String leadId) {
        return events.stream().filter(e -> e.getLeadId().equals(leadId)).toList();
    }
}
