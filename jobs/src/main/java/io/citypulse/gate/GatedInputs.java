package io.citypulse.gate;

import io.citypulse.avro.DeadLetter;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.SplitRejected;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.kafka.TicketEnvelopeSerializer;
import io.citypulse.kafka.Watermarks;
import java.time.Duration;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The front every counting job shares: a source with its watermarks, the split of rejected records,
 * and the {@link LifecycleGate} keyed by ticket / lead id. Operator names and uids are the same in
 * every job ({@code tickets-source}, {@code tickets-split-rejected}, {@code ticket-gate}; likewise
 * for leads), so savepoints of each job keep matching, with or without the gate's cache.
 */
public final class GatedInputs {

    private GatedInputs() {}

    /** The accepted, gated events and everything rejected on the way. */
    public record Gated<E>(
            SingleOutputStreamOperator<E> split, SingleOutputStreamOperator<E> gated) {

        /** Undecodable/invalid records and the gate's rejections (duplicates are dropped). */
        public DataStream<DeadLetter> rejected() {
            return split.getSideOutput(SplitRejected.REJECTED)
                    .union(gated.getSideOutput(LifecycleGate.REJECTED));
        }
    }

    public static Gated<TicketEnvelope> tickets(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            TicketGate gate,
            int cacheKeys) {
        return tickets(env, source, outOfOrderness, idleness, gate, cacheKeys, null);
    }

    /**
     * As {@link #tickets(StreamExecutionEnvironment, Source, Duration, Duration, TicketGate, int)},
     * but only the accepted events {@code used} keeps reach the gate (operator {@code
     * tickets-used}, chained to the split): for a job that turns only some lifecycle steps into
     * results, the others would cost the shuffle and the gate's state work for nothing. The gate
     * then keeps an entity for the retention after its last <em>used</em> event, and rejects only
     * used events (late, or of an unknown entity); {@code null}: every event.
     */
    public static Gated<TicketEnvelope> tickets(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            TicketGate gate,
            int cacheKeys,
            FilterFunction<TicketEnvelope> used) {
        SingleOutputStreamOperator<TicketEnvelope> split =
                env.fromSource(source, Watermarks.tickets(outOfOrderness, idleness), "tickets")
                        .uid("tickets-source")
                        .process(
                                new SplitRejected<TicketEnvelope>(e -> e.rejected),
                                TicketEnvelopeSerializer.TYPE)
                        .name("tickets-split-rejected")
                        .uid("tickets-split-rejected");
        DataStream<TicketEnvelope> toGate =
                used == null ? split : split.filter(used).name("tickets-used").uid("tickets-used");
        SingleOutputStreamOperator<TicketEnvelope> gated =
                gate(
                                toGate.keyBy(e -> e.event.getTicketId(), Types.STRING),
                                gate,
                                TicketEnvelope.class,
                                cacheKeys)
                        .name("ticket-gate")
                        .uid("ticket-gate");
        return new Gated<>(split, gated);
    }

    public static Gated<LeadEnvelope> leads(
            StreamExecutionEnvironment env,
            Source<LeadEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            LeadGate gate,
            int cacheKeys) {
        return leads(env, source, outOfOrderness, idleness, gate, cacheKeys, null);
    }

    /**
     * The leads' {@link #tickets(StreamExecutionEnvironment, Source, Duration, Duration,
     * TicketGate, int, FilterFunction)} (operator {@code leads-used}).
     */
    public static Gated<LeadEnvelope> leads(
            StreamExecutionEnvironment env,
            Source<LeadEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            LeadGate gate,
            int cacheKeys,
            FilterFunction<LeadEnvelope> used) {
        SingleOutputStreamOperator<LeadEnvelope> split =
                env.fromSource(source, Watermarks.leads(outOfOrderness, idleness), "leads")
                        .uid("leads-source")
                        .process(
                                new SplitRejected<LeadEnvelope>(e -> e.rejected),
                                TypeInformation.of(LeadEnvelope.class))
                        .name("leads-split-rejected")
                        .uid("leads-split-rejected");
        DataStream<LeadEnvelope> toGate =
                used == null ? split : split.filter(used).name("leads-used").uid("leads-used");
        SingleOutputStreamOperator<LeadEnvelope> gated =
                gate(
                                toGate.keyBy(e -> e.event.getLeadId(), Types.STRING),
                                gate,
                                LeadEnvelope.class,
                                cacheKeys)
                        .name("lead-gate")
                        .uid("lead-gate");
        return new Gated<>(split, gated);
    }

    /**
     * The gate in its {@link LifecycleGateOperator}: with a write-back cache of {@code cacheKeys}
     * entities per subtask and timers on the heap, or ({@code cacheKeys} 0) state and timers in the
     * state backend.
     */
    private static <E> SingleOutputStreamOperator<E> gate(
            KeyedStream<E, String> keyed, LifecycleGate<E> gate, Class<E> type, int cacheKeys) {
        return keyed.transform(
                "gate", TypeInformation.of(type), new LifecycleGateOperator<>(gate, cacheKeys));
    }
}
