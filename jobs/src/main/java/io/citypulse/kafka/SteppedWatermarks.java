package io.citypulse.kafka;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness, emitted both periodically and in-band: whenever the watermark has
 * advanced by at least {@code step} since the last emission, it is emitted right with the event
 * that advanced it. A replay then sees the watermark move with the data, not with the wall clock (a
 * fast replay reads hours of event time between two periodic emissions), so which events are late
 * depends only on the input order, and replays are repeatable.
 */
public final class SteppedWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrdernessMs;
    private final long stepMs;
    private long maxTimestamp;
    private long lastEmitted = Long.MIN_VALUE;

    public SteppedWatermarks(long outOfOrdernessMs, long stepMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.stepMs = stepMs;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long watermark = current();
            if (lastEmitted == Long.MIN_VALUE || watermark - lastEmitted >= stepMs) {
                emit(watermark, output);
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark = current();
        if (watermark > lastEmitted) {
            emit(watermark, output);
        }
    }

    private long current() {
        return maxTimestamp - outOfOrdernessMs - 1;
    }

    private void emit(long watermark, WatermarkOutput output) {
        lastEmitted = watermark;
        output.emitWatermark(new Watermark(watermark));
    }
}
