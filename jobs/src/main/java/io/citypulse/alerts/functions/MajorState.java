package io.citypulse.alerts.functions;

import io.citypulse.alerts.detector.WindowRing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the spike detector keeps for one major category between 5-minute steps, except the
 * long-term baselines (one {@code SeriesModel} per series in map state, touched once an hour):
 *
 * <ul>
 *   <li>the recent counts of the active series ({@link WindowRing}, keyed by series id: {@code T}
 *       or {@code L} for tickets or leads, then the scope key);
 *   <li>the alert state of each key with an open episode or a recently elevated day;
 *   <li>the last hour of buckets, for the evidence;
 *   <li>the week's summary for the case-category review.
 * </ul>
 *
 * Serialized by hand into one byte[] value (a few KB): no Kryo, one state access per step.
 */
final class MajorState {

    static final int EVIDENCE_BUCKETS = 12;

    long lastEvaluatedEnd;

    /** Sorted, so iteration (and so output order) is deterministic. */
    final Map<String, WindowRing> rings = new TreeMap<>();

    final Map<String, ScopeState> scopes = new TreeMap<>();
    final ArrayDeque<PendingBucket> evidence = new ArrayDeque<>();
    WeekSummary week = new WeekSummary();

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(lastEvaluatedEnd);
            out.writeInt(rings.size());
            for (Map.Entry<String, WindowRing> e : rings.entrySet()) {
                out.writeUTF(e.getKey());
                WindowRing r = e.getValue();
                for (int i = 0; i < WindowRing.BUCKETS; i++) {
                    out.writeInt(r.counts[i]);
                    out.writeFloat(r.expected[i]);
                }
                out.writeByte(r.head);
                for (int i = 0; i < WindowRing.HOURS; i++) {
                    out.writeInt(r.hourCounts[i]);
                    out.writeFloat(r.hourExpecteds[i]);
                }
                out.writeByte(r.hourHead);
                out.writeByte(r.bucketsThisHour);
                out.writeDouble(r.hourExpected);
                out.writeDouble(r.inverseDispersion);
            }
            out.writeInt(scopes.size());
            for (Map.Entry<String, ScopeState> e : scopes.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
            out.writeInt(evidence.size());
            for (PendingBucket b : evidence) {
                b.write(out);
            }
            week.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MajorState fromBytes(byte[] data) {
        MajorState s = new MajorState();
        if (data == null) {
            return s;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            s.lastEvaluatedEnd = in.readLong();
            int rings = in.readInt();
            for (int k = 0; k < rings; k++) {
                String id = in.readUTF();
                WindowRing r = new WindowRing();
                for (int i = 0; i < WindowRing.BUCKETS; i++) {
                    r.counts[i] = in.readInt();
                    r.expected[i] = in.readFloat();
                }
                r.head = in.readByte();
                for (int i = 0; i < WindowRing.HOURS; i++) {
                    r.hourCounts[i] = in.readInt();
                    r.hourExpecteds[i] = in.readFloat();
                }
                r.hourHead = in.readByte();
                r.bucketsThisHour = in.readByte();
                r.hourExpected = in.readDouble();
                r.inverseDispersion = in.readDouble();
                s.rings.put(id, r);
            }
            int scopes = in.readInt();
            for (int k = 0; k < scopes; k++) {
                String key = in.readUTF();
                s.scopes.put(key, ScopeState.read(in));
            }
            int buckets = in.readInt();
            for (int k = 0; k < buckets; k++) {
                s.evidence.add(PendingBucket.read(in));
            }
            s.week = WeekSummary.read(in);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
