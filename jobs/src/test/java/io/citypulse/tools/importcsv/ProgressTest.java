package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void rendersShareCountRateAndEta() {
        String line = Progress.render("reading", 5_000, "rows", 0.25, 2.0);
        assertThat(line)
                .startsWith("reading [######..................]  25%")
                .contains("5,000 rows")
                .contains("2,500 rows/s")
                .endsWith("ETA 0:06");
    }

    @Test
    void formatsLongEtasWithHours() {
        assertThat(Progress.clock(59.4)).isEqualTo("0:59");
        assertThat(Progress.clock(3 * 3600 + 61)).isEqualTo("3:01:01");
    }

    @Test
    void redrawsInPlaceAtMostEveryQuarterSecondAndEndsTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        Progress progress =
                new Progress(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, 1000, true);
        progress.reading(0, 0); // starts the phase
        now.addAndGet(Progress.REDRAW_NANOS / 2);
        progress.reading(10, 100);
        assertThat(bytes.size()).isZero();
        now.addAndGet(Progress.REDRAW_NANOS);
        progress.reading(20, 200);
        now.addAndGet(Progress.REDRAW_NANOS);
        progress.reading(30, 300);
        progress.done();
        String out = bytes.toString(StandardCharsets.UTF_8);
        // Two redraws, and the final state when done.
        assertThat(out.chars().filter(c -> c == '\r')).hasSize(3);
        assertThat(out).contains(" 30 rows").contains("ETA").endsWith("\n");
    }

    @Test
    void aDisabledBarPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        Progress progress =
                new Progress(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, 10, false);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(Progress.REDRAW_NANOS);
            progress.reading(i, i);
            progress.writing(i, 5);
        }
        progress.done();
        assertThat(bytes.size()).isZero();
    }
}
