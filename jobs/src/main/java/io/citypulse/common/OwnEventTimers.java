package io.citypulse.common;

import java.util.function.LongSupplier;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * The {@link TimerService} that an operator with event-time timers of its own (an {@link
 * EventTimeIndex}) hands its function: the watermark the operator has reached, the processing time
 * of Flink's service, and no processing-time timers, which these functions never set. A subclass
 * sets and deletes the event-time timers in its operator's index.
 */
public abstract class OwnEventTimers implements TimerService {

    private final String owner;
    private final ProcessingTimeService processingTime;
    private final LongSupplier watermark;

    /**
     * @param owner the operator, named in the error a processing-time timer gets
     * @param processingTime the operator's processing-time service
     * @param watermark the watermark up to which the operator has fired its timers
     */
    protected OwnEventTimers(
            String owner, ProcessingTimeService processingTime, LongSupplier watermark) {
        this.owner = owner;
        this.processingTime = processingTime;
        this.watermark = watermark;
    }

    @Override
    public final long currentProcessingTime() {
        return processingTime.getCurrentProcessingTime();
    }

    @Override
    public final long currentWatermark() {
        return watermark.getAsLong();
    }

    @Override
    public final void registerProcessingTimeTimer(long time) {
        throw new UnsupportedOperationException(owner + " sets no processing-time timers");
    }

    @Override
    public final void deleteProcessingTimeTimer(long time) {
        throw new UnsupportedOperationException(owner + " sets no processing-time timers");
    }
}
