package io.citypulse.sqlbaseline;

import java.time.Instant;
import java.time.ZoneId;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Forwards records unchanged and the upstream watermarks moved onto the city's wall clock: a
 * watermark at instant {@code w} becomes {@code w + offset(w)}, the epoch milliseconds of the local
 * date-time at {@code w} read as if it were UTC. That is the clock of the {@code local_time}
 * rowtime column ({@code TIMESTAMP(3)}, local wall-clock time) the SQL windows run on.
 *
 * <p>Why not a {@code TIMESTAMP_LTZ} rowtime with {@code table.local-time-zone}: Flink 2.2's
 * slicing window operators flush their record buffer when the watermark crosses a window boundary
 * computed in UTC unless the zone currently observes daylight saving ({@code
 * TimeZone#useDaylightTime}). For Asia/Shanghai a day window's timer fires at local midnight (16:00
 * UTC) while records of that day still sit in the buffer until 00:00 UTC or the next checkpoint;
 * those records then land in an already fired window and are lost without a trace. The ITCase
 * caught this: up to every event of a day missing from {@code *_counts_1d}, 5-minute and hourly
 * windows correct. On the wall clock the windows and their triggers agree.
 *
 * <p>Across a daylight-saving fall-back the shifted watermark would move back an hour; it is held
 * at its maximum instead.
 */
final class LocalClockWatermarks<E> extends AbstractStreamOperator<E>
        implements OneInputStreamOperator<E, E> {

    private static final long serialVersionUID = 1L;

    private final String zoneId;
    private transient ZoneId zone;
    private transient long lastEmitted;

    LocalClockWatermarks(ZoneId zone) {
        this.zoneId = zone.getId();
    }

    @Override
    public void open() throws Exception {
        super.open();
        zone = ZoneId.of(zoneId);
        lastEmitted = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<E> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        long shifted = wallClock(mark.getTimestamp(), zone);
        if (shifted > lastEmitted) {
            lastEmitted = shifted;
            output.emitWatermark(new Watermark(shifted));
        }
    }

    /** {@code t} on the wall clock of {@code zone}; the extremes stay extremes. */
    static long wallClock(long t, ZoneId zone) {
        if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) {
            return t;
        }
        long offsetMs =
                zone.getRules().getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
        return t + offsetMs;
    }
}
