package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.tools.simulate.JsonLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as scripts/import-csv runs it: options, exit codes, messages and files. */
class ImportCsvTest {

    private static final String ROWS =
            "A1,2026-11-02 08:00,2026-11-02 08:20,,2026-11-03 12:00,2026-11-05 08:00,Phone,Noise at night,Futian,Urban Management\n"
                    + "A2,2026-11-02 07:00,,,,,App,Gas leak,Luohu,\n"
                    + "A3,2026-11-02 09:00,,,2026-11-01 12:00,,App,Other,Luohu,\n";

    @TempDir Path dir;
    private Path mapping;
    private Path csv;

    @BeforeEach
    void files() throws IOException {
        mapping = Files.writeString(dir.resolve("town.yaml"), TicketImportTest.MAPPING);
        csv = Files.writeString(dir.resolve("town.csv"), TicketImportTest.HEADER + ROWS);
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        ImportRun run = ImportRun.of("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("Usage: scripts/import-csv --mapping FILE --csv FILE")
                .contains("--kind tickets|leads")
                .contains("--strict")
                .contains("--order time|file");
    }

    @Test
    void aBadCommandLineExitsWithTwoAndSaysWhy() {
        ImportRun unknown = ImportRun.of("--mapping", "m", "--csv", "c", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("error: unknown option --frobnicate").contains("--help");
        ImportRun noCsv = ImportRun.of("--mapping", mapping.toString());
        assertThat(noCsv.exit()).isEqualTo(2);
        assertThat(noCsv.err()).contains("error: --csv FILE is required");
        assertThat(ImportRun.of("--mapping", "m", "--csv", "c", "--order", "random").err())
                .contains("--order must be time or file");
    }

    @Test
    void missingFilesExitWithTwo() {
        ImportRun noMapping =
                ImportRun.of(
                        "--mapping",
                        dir.resolve("nope.yaml").toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka");
        assertThat(noMapping.exit()).isEqualTo(2);
        assertThat(noMapping.err()).contains("nope.yaml: no such file");
        ImportRun noCsv =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        dir.resolve("nope.csv").toString(),
                        "--no-kafka");
        assertThat(noCsv.exit()).isEqualTo(2);
        assertThat(noCsv.err()).contains("--csv ").contains("nope.csv: no such file");
    }

    @Test
    void aBadMappingExitsWithTwoNamingTheKey() throws IOException {
        Files.writeString(
                mapping,
                TicketImportTest.MAPPING.replace(
                        "timeZone: Asia/Shanghai", "timeZone: Asia/Atlantis"));
        ImportRun run =
                ImportRun.of(
                        "--mapping", mapping.toString(), "--csv", csv.toString(), "--no-kafka");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains("error: bad mapping ")
                .contains("town.yaml: timeZone: unknown time zone 'Asia/Atlantis'");
    }

    @Test
    void aMappingThatDoesNotFitTheHeaderExitsWithTwoAndWritesNoFile() throws IOException {
        Files.writeString(
                mapping, TicketImportTest.MAPPING.replace("closed: Closed", "closed: ClosedDate"));
        Path out = dir.resolve("out.jsonl");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("times.closed: no column 'ClosedDate' in the header");
        assertThat(out).doesNotExist();
    }

    @Test
    void aKindThatDiffersFromTheMappingsIsAnError() {
        ImportRun run =
                ImportRun.of(
                        "--kind",
                        "leads",
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--kind leads, but").contains("maps tickets");
    }

    @Test
    void writesJsonLinesInTheSimulatorsFormatAndSummarises() throws IOException {
        Path out = dir.resolve("sub/out.jsonl");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString());
        assertThat(run.exit()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0))
                .startsWith(
                        "{\"kind\":\"ticket\",\"eventId\":\"town:A2:CREATED\",\"ticketId\":\"A2\",\"type\":\"CREATED\",\"eventTime\":")
                .contains("\"agency\":null")
                .contains("\"urgency\":\"EMERGENCY\"")
                .endsWith("\"sourceLeadId\":null,\"location\":null}");
        List<SpecificRecord> events = JsonLines.read(out);
        assertThat(events).allSatisfy(e -> assertThat(e).isInstanceOf(TicketEvent.class));
        assertThat(run.err())
                .contains("rejected line 4: closed-before-created: ticketId A3")
                .containsPattern("rows read +3\\n")
                .containsPattern("rows imported +2\\n")
                .containsPattern("  closed-before-created +1\\n")
                .containsPattern("  CREATED +2\\n")
                .containsPattern("  DISPATCHED +1\\n")
                .containsPattern("  CLOSED +1\\n")
                .containsPattern(
                        "event times +2026-11-02 07:00 \\.\\. 2026-11-03 12:00 \\(Asia/Shanghai\\)")
                .contains("rows/s");
    }

    @Test
    void importingTheSameFileTwiceGivesTheSameBytes() throws IOException {
        Path first = dir.resolve("1.jsonl");
        Path second = dir.resolve("2.jsonl");
        assertThat(
                        ImportRun.of(
                                        "--mapping",
                                        mapping.toString(),
                                        "--csv",
                                        csv.toString(),
                                        "--no-kafka",
                                        "--jsonl",
                                        first.toString())
                                .exit())
                .isZero();
        assertThat(
                        ImportRun.of(
                                        "--mapping",
                                        mapping.toString(),
                                        "--csv",
                                        csv.toString(),
                                        "--no-kafka",
                                        "--jsonl",
                                        second.toString())
                                .exit())
                .isZero();
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
        ImportRun toStdout =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        "-");
        assertThat(toStdout.out()).isEqualTo(Files.readString(first));
    }

    @Test
    void strictExitsWithOneAtTheFirstBadRowAndWritesNothing() throws IOException {
        Path out = dir.resolve("out.jsonl");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString(),
                        "--strict");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("line 4: closed-before-created")
                .contains(
                        "stopped at the first bad row (--strict) after 3 rows; nothing was written.");
        assertThat(Files.readAllLines(out)).isEmpty();
    }

    @Test
    void strictInFileOrderKeepsWhatWasWrittenBeforeTheBadRow() throws IOException {
        Path out = dir.resolve("out.jsonl");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--jsonl",
                        out.toString(),
                        "--strict",
                        "--order",
                        "file");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("4 events had been written.");
        assertThat(Files.readAllLines(out)).hasSize(4);
    }

    @Test
    void theRejectsFileListsEveryRejectedRow() throws IOException {
        Files.writeString(
                csv,
                "A4,2026-11-02,,,,,App,Other,Luohu,\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path rejects = dir.resolve("rejects.csv");
        ImportRun run =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--rejects",
                        rejects.toString());
        assertThat(run.exit()).isZero();
        assertThat(Files.readAllLines(rejects))
                .containsExactly(
                        "line,reason,detail",
                        "4,closed-before-created,ticketId A3: Closed 2026-11-01 12:00 is before Created 2026-11-02 09:00",
                        "5,unparseable-time,Created: '2026-11-02' does not match the time format yyyy-MM-dd HH:mm");
    }

    @Test
    void progressIsDrawnOnlyWhenAskedOrOnATerminal() {
        ImportRun quiet =
                ImportRun.of(
                        "--mapping", mapping.toString(), "--csv", csv.toString(), "--no-kafka");
        assertThat(quiet.err()).doesNotContain("\r");
        ImportRun asked =
                ImportRun.of(
                        "--mapping",
                        mapping.toString(),
                        "--csv",
                        csv.toString(),
                        "--no-kafka",
                        "--progress");
        assertThat(asked.exit()).isZero();
        assertThat(asked.err()).contains("\rwriting [").contains("100%");
    }
}
