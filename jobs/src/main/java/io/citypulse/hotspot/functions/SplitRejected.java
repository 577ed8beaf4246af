package io.citypulse.hotspot.functions;

import io.citypulse.avro.DeadLetter;
import io.citypulse.kafka.TicketEnvelope;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes accepted envelopes on and sends rejected ones, as dead letters, to {@link #REJECTED}.
 * Counts rejections per reason in the Flink metric {@code rejected.<reason>}.
 */
public final class SplitRejected extends ProcessFunction<TicketEnvelope, TicketEnvelope> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};

    private transient MetricGroup rejectedMetrics;
    private transient Map<String, Counter> counters;

    @Override
    public void open(OpenContext openContext) {
        rejectedMetrics = getRuntimeContext().getMetricGroup().addGroup("rejected");
        counters = new HashMap<>();
    }

    @Override
    public void processElement(
            TicketEnvelope envelope, Context ctx, Collector<TicketEnvelope> out) {
        if (envelope.isAccepted()) {
            out.collect(envelope);
            return;
        }
        DeadLetter letter = envelope.rejected;
        counters.computeIfAbsent(letter.getReason(), rejectedMetrics::counter).inc();
        ctx.output(REJECTED, letter);
    }
}
