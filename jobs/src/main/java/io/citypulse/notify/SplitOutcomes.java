package io.citypulse.notify;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Delivered outcomes pass on; failed ones leave as {@link FailedDelivery} on {@link #FAILED}. */
public final class SplitOutcomes extends ProcessFunction<DeliveryOutcome, DeliveryOutcome> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<FailedDelivery> FAILED = new OutputTag<>("failed-deliveries") {};

    @Override
    public void processElement(DeliveryOutcome o, Context ctx, Collector<DeliveryOutcome> out) {
        if (o.delivered) {
            out.collect(o);
        } else {
            ctx.output(FAILED, FailedDelivery.of(o));
        }
    }
}
