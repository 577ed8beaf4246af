package io.citypulse.alerts.functions;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The alert side of one detector key (a category, an item, or the category in a district): the open
 * episode, if any, and the days it was elevated recently (kept across episodes, for recurrence). An
 * episode is one alert: OPENED once, then UPDATED / ESCALATED, then RESOLVED.
 */
final class ScopeState {

    /** Open episode's alert id, or null when none is open. */
    String alertId;

    long openedAt;
    int revision;
    boolean escalated;
    boolean leadDriven;
    boolean ticketsSeen;
    long lastEmitAt;

    /** Consecutive evaluations the open episode was not elevated. */
    int quiet;

    double excess;

    /** Last step the key was elevated with an alert open (kept after it resolves), 0 if never. */
    long lastElevatedAt;

    /** Local epoch days this key was elevated, newest last, at most {@link #DAYS} of them. */
    long[] days = new long[0];

    static final int DAYS = 8;

    boolean open() {
        return alertId != null;
    }

    void markDay(long epochDay) {
        if (days.length > 0 && days[days.length - 1] == epochDay) {
            return;
        }
        int keep = Math.min(days.length, DAYS - 1);
        long[] next = new long[keep + 1];
        System.arraycopy(days, days.length - keep, next, 0, keep);
        next[keep] = epochDay;
        days = next;
    }

    /** Distinct days elevated in the 7 days ending with {@code today}. */
    int daysElevated(long today) {
        int n = 0;
        for (long d : days) {
            if (d > today - 7 && d <= today) {
                n++;
            }
        }
        return n;
    }

    void close() {
        alertId = null;
        openedAt = 0;
        revision = 0;
        escalated = false;
        leadDriven = false;
        ticketsSeen = false;
        lastEmitAt = 0;
        quiet = 0;
        excess = 0;
    }

    /** Nothing worth keeping: no open episode and no elevated day in the last week. */
    boolean forgettable(long today) {
        return !open() && daysElevated(today) == 0;
    }

    void write(DataOutput out) throws IOException {
        out.writeBoolean(alertId != null);
        if (alertId != null) {
            out.writeUTF(alertId);
            out.writeLong(openedAt);
            out.writeInt(revision);
            out.writeBoolean(escalated);
            out.writeBoolean(leadDriven);
            out.writeBoolean(ticketsSeen);
            out.writeLong(lastEmitAt);
            out.writeInt(quiet);
            out.writeDouble(excess);
        }
        out.writeLong(lastElevatedAt);
        out.writeByte(days.length);
        for (long d : days) {
            out.writeLong(d);
        }
    }

    static ScopeState read(DataInput in) throws IOException {
        ScopeState s = new ScopeState();
        if (in.readBoolean()) {
            s.alertId = in.readUTF();
            s.openedAt = in.readLong();
            s.revision = in.readInt();
            s.escalated = in.readBoolean();
            s.leadDriven = in.readBoolean();
            s.ticketsSeen = in.readBoolean();
            s.lastEmitAt = in.readLong();
            s.quiet = in.readInt();
            s.excess = in.readDouble();
        }
        s.lastElevatedAt = in.readLong();
        int n = in.readByte();
        s.days = new long[n];
        for (int i = 0; i < n; i++) {
            s.days[i] = in.readLong();
        }
        return s;
    }
}
