package io.citypulse.counts;

/**
 * One accepted event reduced to what the count tables need: the dimension key (the dimension values
 * joined by {@link #SEPARATOR}), the event time and the measures it adds one to (bit i set =
 * measure i). Small and Kryo-free, so the shuffle to the counters stays cheap.
 */
public class CountFact {

    /** Unit separator: cannot appear in codes, districts, agencies or channels. */
    public static final char SEPARATOR = '\u001F';

    public String key;
    public long time;
    public int measures;

    public CountFact() {}

    public CountFact(String key, long time, int measures) {
        this.key = key;
        this.time = time;
        this.measures = measures;
    }

    public static String key(String... dimensions) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dimensions.length; i++) {
            if (i > 0) {
                b.append(SEPARATOR);
            }
            b.append(dimensions[i] == null ? "" : dimensions[i]);
        }
        return b.toString();
    }

    /** The dimension values of {@code key}, empty ones included (as {@code split(sep, -1)}). */
    public static String[] dimensions(String key) {
        int n = 1;
        for (int i = key.indexOf(SEPARATOR); i >= 0; i = key.indexOf(SEPARATOR, i + 1)) {
            n++;
        }
        String[] values = new String[n];
        int from = 0;
        for (int d = 0; d < n - 1; d++) {
            int to = key.indexOf(SEPARATOR, from);
            values[d] = key.substring(from, to);
            from = to + 1;
        }
        values[n - 1] = key.substring(from);
        return values;
    }

    @Override
    public String toString() {
        return "CountFact{" + key.replace(SEPARATOR, '|') + " @" + time + " m=" + measures + "}";
    }
}
