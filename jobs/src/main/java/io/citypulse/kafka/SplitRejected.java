package io.citypulse.kafka;

import io.citypulse.avro.DeadLetter;
import java.io.Serializable;
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
public final class SplitRejected<E> extends ProcessFunction<E, E> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};

    /** The envelope's dead letter, or null when the envelope holds an accepted record. */
    public interface RejectionOf<E> extends Serializable {
        DeadLetter of(E envelope);
    }

    private final RejectionOf<E> rejection;
    private transient MetricGroup rejectedMetrics;
    private transient Map<String, Counter> counters;

    public SplitRejected(RejectionOf<E> rejection) {
        this.rejection = rejection;
    }

    @Override
    public void open(OpenContext openContext) {
        rejectedMetrics = getRuntimeContext().getMetricGroup().addGroup("rejected");
        counters = new HashMap<>();
    }

    @Override
    public void processElement(E envelope, Context ctx, Collector<E> out) {
        DeadLetter letter = rejection.of(envelope);
        if (letter == null) {
            out.collect(envelope);
            return;
        }
        counters.computeIfAbsent(letter.getReason(), rejectedMetrics::counter).inc();
        ctx.output(REJECTED, letter);
    }
}
