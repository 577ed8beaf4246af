package io.citypulse.alerts.functions;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One major category's week so far, for the weekly case-category review: alerts opened, whether one
 * escalated, when it was elevated, the tickets above expectation, and where those tickets came from
 * (districts, items, agencies) while it was elevated.
 */
final class WeekSummary {

    /** Local Monday, epoch day; Long.MIN_VALUE before the first week. */
    long weekStart = Long.MIN_VALUE;

    int alerts;
    boolean escalated;
    int dayMask;
    int elevatedBuckets;
    double excess;
    String lastAlertId = "";
    final Map<String, Integer> districts = new HashMap<>();
    final Map<String, Integer> items = new HashMap<>();
    final Map<String, Integer> agencies = new HashMap<>();
    boolean dirty;
    long lastEmitAt;

    void reset(long monday) {
        weekStart = monday;
        alerts = 0;
        escalated = false;
        dayMask = 0;
        elevatedBuckets = 0;
        excess = 0;
        lastAlertId = "";
        districts.clear();
        items.clear();
        agencies.clear();
        dirty = false;
        lastEmitAt = 0;
    }

    int daysElevated() {
        return Integer.bitCount(dayMask);
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(weekStart);
        out.writeInt(alerts);
        out.writeBoolean(escalated);
        out.writeInt(dayMask);
        out.writeInt(elevatedBuckets);
        out.writeDouble(excess);
        out.writeUTF(lastAlertId);
        PendingBucket.writeCounts(out, districts);
        PendingBucket.writeCounts(out, items);
        PendingBucket.writeCounts(out, agencies);
        out.writeBoolean(dirty);
        out.writeLong(lastEmitAt);
    }

    static WeekSummary read(DataInput in) throws IOException {
        WeekSummary w = new WeekSummary();
        w.weekStart = in.readLong();
        w.alerts = in.readInt();
        w.escalated = in.readBoolean();
        w.dayMask = in.readInt();
        w.elevatedBuckets = in.readInt();
        w.excess = in.readDouble();
        w.lastAlertId = in.readUTF();
        PendingBucket.readCounts(in, w.districts);
        PendingBucket.readCounts(in, w.items);
        PendingBucket.readCounts(in, w.agencies);
        w.dirty = in.readBoolean();
        w.lastEmitAt = in.readLong();
        return w;
    }
}
