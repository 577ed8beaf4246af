package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TimeParserTest {

    private static final String US_FORMAT = "MM/dd/yyyy hh:mm:ss a";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final TimeParser baltimore = TimeParser.of(List.of(US_FORMAT), NEW_YORK, Locale.US);

    @Test
    void readsLocalTimesInTheExportsZoneSummerAndWinter() {
        // EDT is UTC-4 in April, EST UTC-5 in January.
        assertThat(millis("04/12/2018 11:11:26 AM")).isEqualTo(at("2018-04-12T15:11:26Z"));
        assertThat(millis("01/02/2014 12:05:00 PM")).isEqualTo(at("2014-01-02T17:05:00Z"));
        assertThat(millis("01/02/2014 12:05:00 AM")).isEqualTo(at("2014-01-02T05:05:00Z"));
    }

    @Test
    void theSameTextIsAnotherInstantInAnotherZone() {
        TimeParser la =
                TimeParser.of(List.of(US_FORMAT), ZoneId.of("America/Los_Angeles"), Locale.US);
        assertThat(la.parse("12/31/2017 11:59:58 PM").epochMs())
                .isEqualTo(at("2018-01-01T07:59:58Z"));
    }

    @Test
    void aTimeInTheSpringForwardGapMovesForwardAndIsFlagged() {
        // 2018-03-11 02:00 EST jumped to 03:00 EDT: 02:43:56 does not exist on that day.
        TimeParser.Parsed parsed = baltimore.parse("03/11/2018 02:43:56 AM");
        assertThat(parsed.dst()).isEqualTo(TimeParser.Dst.GAP);
        assertThat(parsed.epochMs()).isEqualTo(at("2018-03-11T07:43:56Z")); // 03:43:56 EDT
    }

    @Test
    void aTimeInTheFallBackOverlapTakesTheEarlierOffsetAndIsFlagged() {
        // 2018-11-04 01:30 happened twice; the first time was EDT (UTC-4).
        TimeParser.Parsed parsed = baltimore.parse("11/04/2018 01:30:00 AM");
        assertThat(parsed.dst()).isEqualTo(TimeParser.Dst.OVERLAP);
        assertThat(parsed.epochMs()).isEqualTo(at("2018-11-04T05:30:00Z"));
        assertThat(baltimore.parse("11/04/2018 02:30:00 AM").dst()).isEqualTo(TimeParser.Dst.NONE);
    }

    @Test
    void isStrictAboutImpossibleDatesAndLenientAboutCase() {
        assertThatThrownBy(() -> baltimore.parse("02/30/2018 10:00:00 AM"))
                .isInstanceOf(DateTimeException.class)
                .hasMessageContaining("'02/30/2018 10:00:00 AM'")
                .hasMessageContaining(US_FORMAT);
        assertThatThrownBy(() -> baltimore.parse("13/01/2018 10:00:00 AM"))
                .isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> baltimore.parse("yesterday"))
                .isInstanceOf(DateTimeException.class);
        assertThat(millis("04/12/2018 11:11:26 am")).isEqualTo(at("2018-04-12T15:11:26Z"));
    }

    @Test
    void triesSeveralFormatsInOrderAndAcceptsDateOnlyOnes() {
        TimeParser mixed =
                TimeParser.of(List.of("yyyy-MM-dd HH:mm", "dd.MM.uuuu"), NEW_YORK, Locale.US);
        assertThat(mixed.parse("2018-04-12 11:11").epochMs()).isEqualTo(at("2018-04-12T15:11:00Z"));
        assertThat(mixed.parse("12.04.2018").epochMs()).isEqualTo(at("2018-04-12T04:00:00Z"));
    }

    @Test
    void namedFormatsReadIsoWithOrWithoutOffsetAndEpochs() {
        TimeParser iso = TimeParser.of(List.of("iso"), ZoneId.of("Asia/Shanghai"), Locale.US);
        assertThat(iso.parse("2026-11-02T08:00:00").epochMs())
                .isEqualTo(at("2026-11-02T00:00:00Z"));
        assertThat(iso.parse("2026-11-02T08:00:00Z").epochMs())
                .isEqualTo(at("2026-11-02T08:00:00Z"));
        assertThat(iso.parse("2026-11-02T08:00:00-05:00").epochMs())
                .isEqualTo(at("2026-11-02T13:00:00Z"));
        TimeParser epochs = TimeParser.of(List.of("epoch-millis"), ZoneId.of("UTC"), Locale.US);
        assertThat(epochs.parse("1523545886000").epochMs()).isEqualTo(1523545886000L);
        TimeParser seconds = TimeParser.of(List.of("epoch-seconds"), ZoneId.of("UTC"), Locale.US);
        assertThat(seconds.parse("1523545886.5").epochMs()).isEqualTo(1523545886500L);
    }

    @Test
    void rejectsAnInvalidPatternWhenBuilt() {
        assertThatThrownBy(() -> TimeParser.of(List.of("MM/dd/yyyy {"), NEW_YORK, Locale.US))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid time format 'MM/dd/yyyy {'");
    }

    private long millis(String text) {
        return baltimore.parse(text).epochMs();
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
