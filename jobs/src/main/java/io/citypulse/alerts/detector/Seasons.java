package io.citypulse.alerts.detector;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The recurring slots of the local clock a baseline is learned in: the hour of the week (168 slots:
 * Monday 00:00 is 0) and the hour of the day split by working day and weekend (48 slots). Counts of
 * citizen requests follow both rhythms: a Monday morning is busier than a Sunday one.
 */
public final class Seasons {

    public static final int WEEK_SLOTS = 168;
    public static final int DAY_SLOTS = 48;

    private Seasons() {}

    /** Hour-of-week slot of the local hour starting at {@code hourStart}. */
    public static int weekSlot(long hourStart, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(hourStart).atZone(zone);
        return (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
    }

    /** Time-of-day slot: the hour, plus 24 on Saturdays and Sundays. */
    public static int daySlot(long hourStart, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(hourStart).atZone(zone);
        DayOfWeek d = t.getDayOfWeek();
        boolean weekend = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
        return (weekend ? 24 : 0) + t.getHour();
    }

    /** The same hour of the day on the other kind of day (working day vs weekend). */
    public static int otherDayKind(int daySlot) {
        return daySlot < 24 ? daySlot + 24 : daySlot - 24;
    }
}
