package io.citypulse.sla.functions;

import io.citypulse.kafka.TicketEnvelope;
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
 * Tells the SLA state machine where a bounded input ends in event time.
 *
 * <ul>
 *   <li><b>Input</b>: accepted ticket envelopes (any partitioning; it runs chained after the
 *       source).
 *   <li><b>State</b>: the latest event time seen, as union operator state, so that after a restore
 *       (even rescaled) every subtask knows at least the latest time seen before.
 *   <li><b>Output</b>: nothing while the stream runs; on the final watermark ({@code
 *       Long.MAX_VALUE}, end of input or stop with drain) it first emits its latest event time,
 *       then forwards the watermark.
 * </ul>
 *
 * It is a custom operator, not a function, because it must emit <em>before</em> the final
 * watermark: the output is broadcast to {@link TicketSlaFunction}, whose own final watermark is the
 * minimum of both inputs and so arrives only after every subtask's last event time has. A function
 * cannot order a record ahead of a watermark.
 */
public final class EventTimeHorizon extends AbstractStreamOperator<Long>
        implements OneInputStreamOperator<TicketEnvelope, Long> {

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
    public void processElement(StreamRecord<TicketEnvelope> element) {
        TicketEnvelope envelope = element.getValue();
        if (envelope.isAccepted()) {
            latest = Math.max(latest, envelope.eventTimeMillis());
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
