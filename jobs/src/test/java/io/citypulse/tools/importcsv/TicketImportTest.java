package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.tools.simulate.CollectingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows to ticket events, and bad rows to rejections, through the {@link Importer}. */
class TicketImportTest {

    static final String MAPPING =
            """
            source: town
            timeFormat: "yyyy-MM-dd HH:mm"
            timeZone: Asia/Shanghai
            times:
              created: Created
              dispatched: Dispatched
              resolved: Resolved
              closed: Closed
              due: Due
            fields:
              ticketId: Id
              channel: {column: Channel, map: {Phone: HOTLINE, App: APP}}
              categoryCode: {column: Type, transform: slug}
              categoryMajor: {column: Type, map: {"Noise*": NOISE}, default: OTHER}
              district: {column: District, default: Unknown}
              agency: {column: Agency, transform: snake}
              urgency: {column: Type, map: {Gas leak: EMERGENCY}, default: GENERAL}
            """;
    static final String HEADER =
            "Id,Created,Dispatched,Resolved,Closed,Due,Channel,Type,District,Agency\n";

    @TempDir Path dir;

    @Test
    void aRowBecomesItsLifecycleEventsAtTheirOwnTimes() throws Exception {
        CollectingSink sink =
                importRows(
                        MAPPING,
                        "A1,2026-11-02 08:00,2026-11-02 08:20,2026-11-03 10:00,2026-11-03 12:00,2026-11-05 08:00,Phone,Noise at night,Futian,Urban Management\n");
        assertThat(sink.tickets())
                .extracting(TicketEvent::getType)
                .containsExactly(
                        TicketEventType.CREATED,
                        TicketEventType.DISPATCHED,
                        TicketEventType.RESOLVED,
                        TicketEventType.CLOSED);
        assertThat(sink.tickets())
                .extracting(TicketEvent::getEventId)
                .containsExactly(
                        "town:A1:CREATED",
                        "town:A1:DISPATCHED",
                        "town:A1:RESOLVED",
                        "town:A1:CLOSED");
        assertThat(sink.tickets())
                .extracting(TicketEvent::getEventTime)
                .containsExactly(
                        Instant.parse("2026-11-02T00:00:00Z"),
                        Instant.parse("2026-11-02T00:20:00Z"),
                        Instant.parse("2026-11-03T02:00:00Z"),
                        Instant.parse("2026-11-03T04:00:00Z"));
        TicketEvent created = sink.tickets().get(0);
        assertThat(created.getTicketId()).isEqualTo("A1");
        assertThat(created.getChannel()).isEqualTo("HOTLINE");
        assertThat(created.getCategoryCode()).isEqualTo("NOISE-AT-NIGHT");
        assertThat(created.getCategoryMajor()).isEqualTo("NOISE");
        assertThat(created.getDistrict()).isEqualTo("Futian");
        assertThat(created.getUrgency()).isEqualTo(Urgency.GENERAL);
        assertThat(created.getExpedited()).isFalse();
        assertThat(created.getStreet()).isNull();
        // The unit the ticket was sent to: known from DISPATCHED on.
        assertThat(sink.tickets())
                .extracting(TicketEvent::getAgency)
                .containsExactly(null, "URBAN_MANAGEMENT", "URBAN_MANAGEMENT", "URBAN_MANAGEMENT");
        assertThat(sink.tickets())
                .extracting(TicketEvent::getDueTime)
                .containsOnly(Instant.parse("2026-11-05T00:00:00Z"));
    }

    @Test
    void stepsWithoutATimeAreLeftOutAndNothingIsInvented() throws Exception {
        CollectingSink sink =
                importRows(
                        MAPPING,
                        "A1,2026-11-02 08:00,,,2026-11-02 09:00,,App,Gas leak,,Gas Company\n"
                                + "A2,2026-11-02 08:30,,,,,App,Other,Luohu,\n");
        assertThat(sink.tickets())
                .extracting(TicketEvent::getEventId)
                .containsExactly("town:A1:CREATED", "town:A2:CREATED", "town:A1:CLOSED");
        TicketEvent closed = sink.tickets().get(2);
        assertThat(closed.getAgency()).isEqualTo("GAS_COMPANY");
        assertThat(closed.getDueTime()).isNull();
        assertThat(closed.getUrgency()).isEqualTo(Urgency.EMERGENCY);
        assertThat(closed.getDistrict()).isEqualTo("Unknown");
        assertThat(sink.tickets().get(1).getAgency()).isNull();
    }

    @Test
    void agencyOnCreatedPutsTheAgencyOnTheFirstEventToo() throws Exception {
        CollectingSink sink =
                importRows(
                        MAPPING + "agencyOnCreated: true\n",
                        "A1,2026-11-02 08:00,,,,,App,Other,Luohu,Water Affairs\n");
        assertThat(sink.tickets().get(0).getAgency()).isEqualTo("WATER_AFFAIRS");
    }

    @Test
    void writesAllEventsOfTheFileInEventTimeOrderByDefault() throws Exception {
        String rows =
                "A1,2026-11-02 08:00,,,2026-11-04 08:00,,App,Other,Luohu,X\n"
                        + "A2,2026-11-02 09:00,,,2026-11-02 10:00,,App,Other,Luohu,X\n"
                        + "A3,2026-11-01 07:00,,,,,App,Other,Luohu,X\n";
        assertThat(importRows(MAPPING, rows).tickets())
                .extracting(TicketEvent::getEventId)
                .containsExactly(
                        "town:A3:CREATED",
                        "town:A1:CREATED",
                        "town:A2:CREATED",
                        "town:A2:CLOSED",
                        "town:A1:CLOSED");
        assertThat(importRows(MAPPING, rows, Importer.Order.FILE, false).tickets())
                .extracting(TicketEvent::getEventId)
                .containsExactly(
                        "town:A1:CREATED",
                        "town:A1:CLOSED",
                        "town:A2:CREATED",
                        "town:A2:CLOSED",
                        "town:A3:CREATED");
    }

    @Test
    void eventsOfOneInstantKeepLifecycleOrder() throws Exception {
        assertThat(
                        importRows(
                                        MAPPING,
                                        "A1,2026-11-02 08:00,2026-11-02 08:00,,2026-11-02 08:00,,App,Other,Luohu,X\n")
                                .tickets())
                .extracting(TicketEvent::getType)
                .containsExactly(
                        TicketEventType.CREATED,
                        TicketEventType.DISPATCHED,
                        TicketEventType.CLOSED);
    }

    @Test
    void badRowsAreCountedPerReasonWithTheirLineAndSkipped() throws Exception {
        String rows =
                "A1,2026-11-02 08:00,,,2026-11-02 09:00,,App,Other,Luohu,X\n" // line 2: fine
                        + ",2026-11-02 08:00,,,,,App,Other,Luohu,X\n" // 3: no id
                        + "A3,02/11/2026 08:00,,,,,App,Other,Luohu,X\n" // 4: time format
                        + "A4,2026-11-02 08:00,,,2026-11-01 09:00,,App,Other,Luohu,X\n" // 5
                        + "A1,2026-11-02 08:00,,,,,App,Other,Luohu,X\n" // 6: duplicate of line 2
                        + "A6,2026-11-02 08:00,,,,,App,Other\n" // 7: 8 columns
                        + "A7,2026-11-02 08:00,,,,,Fax,Other,Luohu,X\n" // 8: channel not mapped
                        + "A8,,,,,,App,Other,Luohu,X\n" // 9: no creation time
                        + "A9,2026-11-02 08:00,2026-11-02 09:00,2026-11-02 08:30,,,App,Other,Luohu,X\n" // 10
                        + "A10,2026-11-02 08:00,,,,2026-11-02 25:00,App,Other,Luohu,X\n" // 11: due
                        // time
                        + "A11,\"2026-11-02 08:00,,,,,App,Other,Luohu,X\n"; // 12: quote never
        // closed
        ImportReport report = new ImportReport(100);
        CollectingSink sink = run(MAPPING, rows, Importer.Order.TIME, false, report);
        assertThat(report.rowsRead()).isEqualTo(11);
        assertThat(report.rowsImported()).isEqualTo(1);
        assertThat(report.rejectedByReason())
                .containsExactly(
                        Map.entry("missing-id", 1L),
                        Map.entry("unparseable-time", 2L),
                        Map.entry("closed-before-created", 1L),
                        Map.entry("duplicate-id", 1L),
                        Map.entry("wrong-column-count", 1L),
                        Map.entry("unmapped-channel", 1L),
                        Map.entry("missing-created-time", 1L),
                        Map.entry("resolved-before-dispatched", 1L),
                        Map.entry("unterminated-quote", 1L));
        assertThat(report.firstRejections())
                .extracting(Rejection::line)
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(report.firstRejections().get(2).detail())
                .isEqualTo(
                        "ticketId A4: Closed 2026-11-01 09:00 is before Created 2026-11-02 08:00");
        assertThat(report.firstRejections().get(5).detail()).contains("'Fax'").contains("Channel");
        assertThat(sink.tickets()).hasSize(2);
        assertThat(report.ticketEvents(TicketEventType.CREATED)).isEqualTo(1);
        assertThat(report.ticketEvents(TicketEventType.CLOSED)).isEqualTo(1);
    }

    @Test
    void aBrokenFirstCopyDoesNotMakeTheGoodSecondOneADuplicate() throws Exception {
        ImportReport report = new ImportReport(10);
        run(
                MAPPING,
                "A1,yesterday,,,,,App,Other,Luohu,X\nA1,2026-11-02 08:00,,,,,App,Other,Luohu,X\n",
                Importer.Order.TIME,
                false,
                report);
        assertThat(report.rowsImported()).isEqualTo(1);
        assertThat(report.rejectedByReason()).containsOnlyKeys("unparseable-time");
    }

    @Test
    void strictStopsAtTheFirstBadRowBeforeWritingAnything() throws Exception {
        String rows =
                "A1,2026-11-02 08:00,,,,,App,Other,Luohu,X\n"
                        + "A2,2026-11-02 08:00,,,2026-11-01 08:00,,App,Other,Luohu,X\n"
                        + "A3,2026-11-02 08:00,,,,,App,Other,Luohu,X\n";
        CollectingSink sink = new CollectingSink();
        ImportReport report = new ImportReport(10);
        Importer importer =
                new Importer(
                        mapping(MAPPING),
                        Importer.Order.TIME,
                        true,
                        Long.MAX_VALUE,
                        report,
                        r -> {});
        assertThatThrownBy(() -> importer.run(csv(rows), sink, Progress.disabled()))
                .isInstanceOf(Importer.StrictStop.class)
                .hasMessage(
                        "line 3: closed-before-created: ticketId A2: Closed 2026-11-01 08:00 is before Created 2026-11-02 08:00");
        assertThat(sink.tickets()).isEmpty();
        assertThat(report.rowsRead()).isEqualTo(2);
    }

    @Test
    void aColumnMissingFromTheHeaderNamesTheMappingKey() throws Exception {
        Path csv =
                Files.writeString(
                        dir.resolve("x.csv"),
                        HEADER.replace("District", "Area")
                                + "A1,2026-11-02 08:00,,,,,App,Other,Luohu,X\n");
        assertThatThrownBy(() -> Importer.checkHeader(mapping(MAPPING), csv))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("fields.district.column: no column 'District' in the header")
                .hasMessageContaining("Area");
    }

    @Test
    void readsAtMostTheLimit() throws Exception {
        ImportReport report = new ImportReport(10);
        Importer importer =
                new Importer(mapping(MAPPING), Importer.Order.TIME, false, 1, report, r -> {});
        CollectingSink sink = new CollectingSink();
        importer.run(
                csv(
                        "A1,2026-11-02 08:00,,,,,App,Other,Luohu,X\nA2,2026-11-02 08:00,,,,,App,Other,Luohu,X\n"),
                sink,
                Progress.disabled());
        assertThat(report.rowsRead()).isEqualTo(1);
        assertThat(sink.tickets()).hasSize(1);
    }

    private CollectingSink importRows(String mapping, String rows) throws Exception {
        return importRows(mapping, rows, Importer.Order.TIME, false);
    }

    private CollectingSink importRows(
            String mapping, String rows, Importer.Order order, boolean strict) throws Exception {
        return run(mapping, rows, order, strict, new ImportReport(10));
    }

    private CollectingSink run(
            String mapping, String rows, Importer.Order order, boolean strict, ImportReport report)
            throws Exception {
        CollectingSink sink = new CollectingSink();
        new Importer(mapping(mapping), order, strict, Long.MAX_VALUE, report, r -> {})
                .run(csv(rows), sink, Progress.disabled());
        return sink;
    }

    private Path csv(String rows) throws IOException {
        return Files.writeString(dir.resolve("export.csv"), HEADER + rows);
    }

    static Mapping mapping(String yaml) throws MappingException {
        return MappingLoader.parse(yaml, "test.yaml");
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file);
    }
}
