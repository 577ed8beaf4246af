package io.citypulse.hotspot.records;

import java.util.Objects;

/**
 * Number of CREATED tickets of one catalogue item in one district in one window: a row of {@code
 * ticket_counts_5m}. {@code version} orders re-emissions of the same window (late updates, replays)
 * so ReplacingMergeTree keeps the newest.
 */
public class TicketCount {

    public long windowStart;
    public long windowEnd;
    public String categoryMajor;
    public String categoryCode;
    public String district;
    public long created;
    public long version;

    public TicketCount() {}

    public TicketCount(
            long windowStart,
            long windowEnd,
            String categoryMajor,
            String categoryCode,
            String district,
            long created,
            long version) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.categoryMajor = categoryMajor;
        this.categoryCode = categoryCode;
        this.district = district;
        this.created = created;
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketCount t
                && windowStart == t.windowStart
                && windowEnd == t.windowEnd
                && created == t.created
                && version == t.version
                && Objects.equals(categoryMajor, t.categoryMajor)
                && Objects.equals(categoryCode, t.categoryCode)
                && Objects.equals(district, t.district);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, categoryMajor, categoryCode, district, created);
    }

    @Override
    public String toString() {
        return "TicketCount{"
                + windowStart
                + " "
                + categoryMajor
                + "/"
                + categoryCode
                + " "
                + district
                + " created="
                + created
                + " v="
                + version
                + "}";
    }
}
