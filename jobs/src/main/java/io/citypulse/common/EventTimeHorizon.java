package io.citypulse.common;

import java.io.Serializable;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Tells a downstream stateful function where a bounded input ends in event time, so that it does
 * not act on deadlines or evaluations after the last event (the SLA state machine, the spike
 * detector).
 *
 * <ul>
 *   <li><b>Input</b>: any records whose event time {@code eventTime} extracts ({@link #IGNORE} for
 *       records that do not count); any partitioning, it runs chained after the source.
 *   <li><b>State</b>: the latest event time seen, as union operator state, so that after a restore
 *       (even rescaled) every subtask knows at least the latest time seen before.
 *   <li><b>Output</b>: nothing while the stream runs; on the final watermark ({@code
 *       Long.MAX_VALUE}, end of input or stop with drain) it first emits its latest event time,
 *       then forwards the watermark.
 * </ul>
 *
 * It is a custom operator, not a function, because it must emit <em>before</em> the final
 * watermark: the output is broadcast to the downstream function, whose own final watermark is the
 * minimum of both inputs and so arrives only after every subtask's last event time has. A function
 * cannot order a record ahead of a watermark.
 */
public final class EventTimeHorizon<T> extends AbstractStreamOperator<Long>
        implements OneInputStreamOperator<T, Long> {

    /** What {@code eventTime} returns for a record that does not move the horizon. */
    public static final long IGNORE = Long.MIN_VALUE;

    /** A serializable event-time extractor. */
    public interface EventTime<T> extends ToLongFunction<T>, Serializable {}

    private final EventTime<T> eventTime;

    public EventTimeHorizon(EventTime<T> eventTime) {
        this.eventTime = eventTime;
    }

    private static final long serialVersionUID = 1L;

    private transient ListState<Long> checkpointed;
    private transient long latest;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        latest = Long.MIN_VALUE;
        checkpointed =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("latest-event-time", Types.LONG));
        for (Long t : checkpointed.get()) {
            latest = Math.max(latest, t);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(java.util.List.of(latest));
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        long t = eventTime.applyAsLong(element.getValue());
        if (t != IGNORE) {
            latest = Math.max(latest, t);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && latest != Long.MIN_VALUE) {
            output.collect(new StreamRecord<>(latest));
        }
        super.processWatermark(mark);
    }
}
