package io.citypulse.counts;

import java.util.Arrays;

/**
 * The counts of one dimension key in one window: a row of a {@code *_counts_5m|1h|1d} table. {@code
 * isFinal} is false for the live partial results of an open window; {@code version} orders every
 * emission of the same window so ReplacingMergeTree keeps the newest, and a final row always
 * outranks every partial one (see {@link MultiWindowCounter#FINAL_BIT}).
 */
public class CountRow {

    public Granularity granularity;
    public long windowStart;
    public long windowEnd;
    public String key;
    public long[] counts;
    public boolean isFinal;
    public long version;

    public CountRow() {}

    public CountRow(
            Granularity granularity,
            long windowStart,
            long windowEnd,
            String key,
            long[] counts,
            boolean isFinal,
            long version) {
        this.granularity = granularity;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.key = key;
        this.counts = counts;
        this.isFinal = isFinal;
        this.version = version;
    }

    public String[] dimensions() {
        return CountFact.dimensions(key);
    }

    @Override
    public String toString() {
        return "CountRow{"
                + granularity.suffix()
                + " "
                + windowStart
                + " "
                + key.replace(CountFact.SEPARATOR, '|')
                + " "
                + Arrays.toString(counts)
                + (isFinal ? " final" : " partial")
                + "}";
    }
}
