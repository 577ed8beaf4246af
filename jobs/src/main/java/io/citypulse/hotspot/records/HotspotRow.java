package io.citypulse.hotspot.records;

/**
 * One place in a hotspot ranking: a row of {@code hotspots}. The ranking covers the hour ending at
 * {@code windowEnd}; {@code scope} is {@code city} for the city-wide list or a district name for
 * that district's list.
 */
public class HotspotRow {

    public long windowEnd;
    public String scope;
    public int rank;
    public String categoryMajor;
    public String district;
    public long volume;
    public double expected;
    public double growth;
    public double score;
    public String topItems;
    public String topAgencies;
    public long version;

    public HotspotRow() {}

    @Override
    public String toString() {
        return "HotspotRow{"
                + windowEnd
                + " "
                + scope
                + " #"
                + rank
                + " "
                + categoryMajor
                + "/"
                + district
                + " volume="
                + volume
                + " expected="
                + expected
                + " score="
                + score
                + " items="
                + topItems
                + " agencies="
                + topAgencies
                + "}";
    }
}
