package io.citypulse.tools.importcsv;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on standard error for large files: share done, count, rate and ETA,
 * redrawn in place ({@code \r}) at most every {@link #REDRAW_NANOS}. Reading is measured in bytes
 * of the file (the row count is unknown until the end), writing in events.
 *
 * <p>Only drawn when standard error is a terminal or {@code --progress} asks for it: in a log file,
 * carriage-return redraws are noise. The clock is injected so tests need no sleeping.
 */
final class Progress {

    static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final LongSupplier clock;
    private final boolean enabled;
    private final long totalBytes;
    private long phaseStart;
    private long lastDraw;
    private String phase;
    private long lastCount;
    private String lastUnit;
    private double lastFraction;
    private int lastLength;

    /**
     * @param totalBytes the file size, or a value {@code <= 0} if unknown
     */
    Progress(PrintStream err, LongSupplier clock, long totalBytes, boolean enabled) {
        this.err = err;
        this.clock = clock;
        this.totalBytes = totalBytes;
        this.enabled = enabled;
    }

    static Progress disabled() {
        return new Progress(null, () -> 0L, 0, false);
    }

    /** Reading: {@code rows} read so far, {@code bytes} of the file consumed. */
    void reading(long rows, long bytes) {
        if (!enabled) {
            return;
        }
        double fraction = totalBytes > 0 ? Math.min(1.0, (double) bytes / totalBytes) : -1;
        update("reading", rows, "rows", fraction);
    }

    /** Writing the sorted events: {@code written} of {@code total}. */
    void writing(long written, long total) {
        if (!enabled) {
            return;
        }
        update("writing", written, "events", total > 0 ? (double) written / total : 1.0);
    }

    /** Draws the last state of the current phase, if any, and ends its line. */
    void done() {
        if (!enabled || phase == null) {
            return;
        }
        draw(clock.getAsLong());
        err.print('\n');
        err.flush();
        phase = null;
        lastLength = 0;
    }

    private void update(String name, long count, String unit, double fraction) {
        long now = clock.getAsLong();
        if (!name.equals(phase)) {
            done();
            phase = name;
            phaseStart = now;
            lastDraw = now;
        }
        lastCount = count;
        lastUnit = unit;
        lastFraction = fraction;
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        String line = render(phase, lastCount, lastUnit, lastFraction, (now - phaseStart) / 1e9);
        err.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /**
     * One bar, e.g. {@code reading [##########..............] 42% 4,200 rows 8,400 rows/s ETA
     * 0:01}.
     *
     * @param fraction share done, 0..1, or negative if unknown (no bar, no ETA)
     */
    static String render(String name, long count, String unit, double fraction, double seconds) {
        double rate = seconds > 0 ? count / seconds : 0;
        StringBuilder line = new StringBuilder(name).append(' ');
        if (fraction >= 0) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            line.append('[')
                    .append("#".repeat(filled))
                    .append(".".repeat(BAR_WIDTH - filled))
                    .append(']')
                    .append(String.format(Locale.ROOT, " %3.0f%%", fraction * 100));
        }
        line.append(String.format(Locale.ROOT, "  %,d %s  %,.0f %s/s", count, unit, rate, unit));
        if (fraction > 0 && seconds > 0) {
            line.append("  ETA ").append(clock(seconds * (1 - fraction) / fraction));
        } else if (fraction >= 0) {
            line.append("  ETA --:--");
        }
        return line.toString();
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
