package io.citypulse.alerts.functions;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What one major category collected in one 5-minute bucket: tickets created by (item, district,
 * street), dispatches by (item, district, agency) and leads by (item, district, content
 * fingerprint). Counts per detector key are sums over these tuples (leads count once per distinct
 * fingerprint: one post reposted on five platforms is one signal, not a surge of five), and the
 * same tuples are the evidence of an alert (top items, streets, districts, agencies, posts).
 *
 * <p>Serialized by hand ({@link #write}, {@link #read}) into a byte[] state value: compact, and no
 * Kryo fallback for the maps.
 */
public final class PendingBucket {

    static final char SEP = '\u001F';

    final Map<String, Integer> created = new HashMap<>();
    final Map<String, Integer> dispatched = new HashMap<>();
    final Map<String, Integer> leads = new HashMap<>();

    void add(Signal s) {
        String where = s.categoryCode + SEP + s.district;
        switch (s.kind) {
            case Signal.TICKET_CREATED -> created.merge(where + SEP + s.detail, 1, Integer::sum);
            case Signal.TICKET_DISPATCHED ->
                    dispatched.merge(where + SEP + s.detail, 1, Integer::sum);
            default -> leads.merge(where + SEP + s.detail, 1, Integer::sum);
        }
    }

    boolean isEmpty() {
        return created.isEmpty() && dispatched.isEmpty() && leads.isEmpty();
    }

    static String[] split(String tuple) {
        return tuple.split(String.valueOf(SEP), -1);
    }

    void write(DataOutput out) throws IOException {
        writeCounts(out, created);
        writeCounts(out, dispatched);
        writeCounts(out, leads);
    }

    static PendingBucket read(DataInput in) throws IOException {
        PendingBucket b = new PendingBucket();
        readCounts(in, b.created);
        readCounts(in, b.dispatched);
        readCounts(in, b.leads);
        return b;
    }

    static void writeCounts(DataOutput out, Map<String, Integer> counts) throws IOException {
        out.writeInt(counts.size());
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue());
        }
    }

    static void readCounts(DataInput in, Map<String, Integer> counts) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            counts.put(in.readUTF(), in.readInt());
        }
    }
}
