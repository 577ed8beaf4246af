package io.citypulse.sqlbaseline;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.counts.Granularity;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends events whose 5-minute window has already closed to dead letters ({@code LATE}) instead of
 * letting the SQL window operators drop them without a trace. Window table-valued functions have no
 * allowed lateness: an event is too late as soon as the watermark has passed the end of its
 * 5-minute window (hour and day windows end at or after it). The watermark here is never behind the
 * window operators' (they take the minimum over their inputs), so an event this filter lets through
 * is counted downstream, and one it rejects is counted nowhere.
 *
 * <p>Metric {@code rejected.LATE}.
 */
abstract class ClosedWindowFilter<E> extends ProcessFunction<E, E> {

    private static final long serialVersionUID = 1L;

    static final OutputTag<DeadLetter> LATE = new OutputTag<>("sql-late") {};

    private static final long FIVE_MINUTES_MS = 300_000L;

    final String job;
    private transient Counter late;

    ClosedWindowFilter(String job) {
        this.job = job;
    }

    abstract long eventTime(E envelope);

    abstract DeadLetter deadLetter(E envelope, String detail);

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().addGroup("rejected").counter("LATE");
    }

    @Override
    public void processElement(E envelope, Context ctx, Collector<E> out) {
        long watermark = ctx.timerService().currentWatermark();
        long end =
                Granularity.FIVE_MINUTES.start(eventTime(envelope), ZoneOffset.UTC)
                        + FIVE_MINUTES_MS;
        if (watermark >= end - 1) {
            late.inc();
            ctx.output(
                    LATE,
                    deadLetter(
                            envelope,
                            "arrived when the watermark was "
                                    + Instant.ofEpochMilli(watermark)
                                    + ", after its window closed (the SQL job has no allowed"
                                    + " lateness)"));
            return;
        }
        out.collect(envelope);
    }

    /** For tickets. */
    static final class Tickets extends ClosedWindowFilter<TicketEnvelope> {

        private static final long serialVersionUID = 1L;

        private transient AvroCodec<TicketEvent> codec;

        Tickets(String job) {
            super(job);
        }

        @Override
        public void open(OpenContext openContext) {
            super.open(openContext);
            codec = AvroCodec.forType(TicketEvent.class);
        }

        @Override
        long eventTime(TicketEnvelope envelope) {
            return envelope.eventTimeMillis();
        }

        @Override
        DeadLetter deadLetter(TicketEnvelope e, String detail) {
            return e.deadLetter(job, "LATE", detail, codec);
        }
    }

    /** For leads. */
    static final class Leads extends ClosedWindowFilter<LeadEnvelope> {

        private static final long serialVersionUID = 1L;

        private transient AvroCodec<LeadEvent> codec;

        Leads(String job) {
            super(job);
        }

        @Override
        public void open(OpenContext openContext) {
            super.open(openContext);
            codec = AvroCodec.forType(LeadEvent.class);
        }

        @Override
        long eventTime(LeadEnvelope envelope) {
            return envelope.eventTimeMillis();
        }

        @Override
        DeadLetter deadLetter(LeadEnvelope e, String detail) {
            return e.deadLetter(job, "LATE", detail, codec);
        }
    }
}
