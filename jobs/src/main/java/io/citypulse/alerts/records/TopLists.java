package io.citypulse.alerts.records;

import io.citypulse.avro.NamedCount;
import java.util.List;

/** Top lists as the ClickHouse tables store them: {@code NAME:count,NAME:count}. */
public final class TopLists {

    private TopLists() {}

    public static String joined(List<NamedCount> list) {
        StringBuilder b = new StringBuilder();
        for (NamedCount c : list) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(c.getName()).append(':').append(c.getCount());
        }
        return b.toString();
    }
}
