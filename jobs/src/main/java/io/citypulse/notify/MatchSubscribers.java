package io.citypulse.notify;

import io.citypulse.avro.HotspotAlert;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Fans each alert record out to the subscribers whose filter it matches: one {@link Delivery} per
 * (alert record, matching subscriber), body rendered for the subscriber's format. Stateless. An
 * alert nobody subscribed to is counted in the metric {@code unmatched}, not an error.
 */
public final class MatchSubscribers extends RichFlatMapFunction<HotspotAlert, Delivery> {

    private static final long serialVersionUID = 1L;

    private final List<Subscriber> subscribers;
    private final ZoneId zone;
    private transient Counter deliveries;
    private transient Counter unmatched;

    public MatchSubscribers(List<Subscriber> subscribers, ZoneId zone) {
        this.subscribers = List.copyOf(subscribers);
        this.zone = zone;
    }

    @Override
    public void open(OpenContext openContext) {
        deliveries = getRuntimeContext().getMetricGroup().counter("deliveries");
        unmatched = getRuntimeContext().getMetricGroup().counter("unmatched");
    }

    @Override
    public void flatMap(HotspotAlert alert, Collector<Delivery> out) {
        boolean any = false;
        for (Subscriber s : subscribers) {
            if (s.filter().matches(alert)) {
                out.collect(delivery(alert, s, zone));
                any = true;
                if (deliveries != null) {
                    deliveries.inc();
                }
            }
        }
        if (!any && unmatched != null) {
            unmatched.inc();
        }
    }

    static Delivery delivery(HotspotAlert alert, Subscriber s, ZoneId zone) {
        Delivery d = new Delivery();
        d.alertId = alert.getAlertId();
        d.state = alert.getState().name();
        d.revision = alert.getRevision();
        d.subscriber = s.name();
        d.endpointKey = s.endpointKey();
        d.idempotencyKey = Delivery.idempotencyKey(d.alertId, d.state, d.revision);
        d.body = Payloads.body(alert, s, d.idempotencyKey, zone);
        return d;
    }
}
