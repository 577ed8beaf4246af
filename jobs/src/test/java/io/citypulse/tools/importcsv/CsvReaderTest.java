package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void splitsPlainFieldsAndKeepsEmptyOnes() throws IOException {
        List<CsvRecord> records = read("a,b,c\n1,,3\n,,\n");
        assertThat(records)
                .extracting(CsvRecord::fields)
                .containsExactly(
                        List.of("a", "b", "c"), List.of("1", "", "3"), List.of("", "", ""));
    }

    @Test
    void quotedFieldsMayHoldDelimitersQuotesAndLineBreaks() throws IOException {
        List<CsvRecord> records =
                read(
                        "id,address,note\n1,\"3400 GARRISON BLVD, BALTIMORE, MD\",\"said \"\"hi\"\"\nthen left\"\n2,x,y\n");
        assertThat(records.get(1).fields())
                .containsExactly(
                        "1", "3400 GARRISON BLVD, BALTIMORE, MD", "said \"hi\"\nthen left");
        assertThat(records.get(1).problem()).isNull();
    }

    @Test
    void reportsTheLineEachRecordStartsOnAcrossEmbeddedLineBreaks() throws IOException {
        List<CsvRecord> records =
                read("h1,h2\n1,\"two\nlines\"\n2,\"three\r\nmore\nlines\"\r\n3,x\n");
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 4L, 7L);
    }

    @Test
    void acceptsCrlfLoneCrAndNoFinalNewline() throws IOException {
        assertThat(read("a,b\r\n1,2\r3,4"))
                .extracting(CsvRecord::fields)
                .containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
    }

    @Test
    void dropsAByteOrderMarkAndSkipsBlankLines() throws IOException {
        List<CsvRecord> records = read("\uFEFFid,x\n\n1,2\n\n\n2,3\n");
        assertThat(records.get(0).fields()).containsExactly("id", "x");
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 3L, 6L);
    }

    @Test
    void anEmptyQuotedFieldIsAField() throws IOException {
        assertThat(read("\"\"\n\"\",\"\"\n"))
                .extracting(CsvRecord::fields)
                .containsExactly(List.of(""), List.of("", ""));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsKept() throws IOException {
        CsvRecord record = read("12\" pipe,x\n").get(0);
        assertThat(record.fields()).containsExactly("12\" pipe", "x");
        assertThat(record.problem()).isNull();
    }

    @Test
    void textAfterAClosingQuoteMarksTheRecordButKeepsReading() throws IOException {
        List<CsvRecord> records = read("\"ab\"cd,e\nf,g\n");
        assertThat(records.get(0).problem()).isEqualTo(CsvReader.BAD_QUOTING);
        assertThat(records.get(0).fields()).containsExactly("abcd", "e");
        assertThat(records.get(1).fields()).containsExactly("f", "g");
        assertThat(records.get(1).problem()).isNull();
    }

    @Test
    void aQuoteLeftOpenSwallowsTheRestAndIsMarkedWhereItStarted() throws IOException {
        List<CsvRecord> records = read("a,b\n1,2\n3,\"open\n4,5\n");
        assertThat(records).hasSize(3);
        assertThat(records.get(2).line()).isEqualTo(3);
        assertThat(records.get(2).problem()).isEqualTo(CsvReader.UNTERMINATED_QUOTE);
        assertThat(records.get(2).fields()).containsExactly("3", "open\n4,5\n");
    }

    @Test
    void usesTheConfiguredDelimiter() throws IOException {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new StringReader("a;b\n\"1;2\";3\n"), ';')) {
            for (CsvRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        assertThat(records.get(1).fields()).containsExactly("1;2", "3");
    }

    @Test
    void readsRecordsLongerThanItsBuffer() throws IOException {
        String big = "x".repeat(200_000);
        assertThat(read("a,b\n\"" + big + "\"," + big + "\n").get(1).fields())
                .containsExactly(big, big);
    }

    private static List<CsvRecord> read(String text) throws IOException {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new StringReader(text), ',')) {
            for (CsvRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }
}
