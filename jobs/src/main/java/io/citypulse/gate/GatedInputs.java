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
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
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

    /**
     * The tickets' front. Only the accepted events {@code used} keeps reach the gate (operator
     * {@code tickets-used}, chained to the split; {@code null}: every one, and no such operator):
     * for a job that turns only some lifecycle steps into results, the others would cost the
     * shuffle and the gate's state work for nothing. The gate then keeps an entity for the
     * retention after its last <em>used</em> event, and rejects only used events (late, or of an
     * unknown entity).
     */
    public static Gated<TicketEnvelope> tickets(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            TicketGate gate,
            int cacheKeys,
            FilterFunction<TicketEnvelope> used) {
        return front(
                env.fromSource(source, Watermarks.tickets(outOfOrderness, idleness), "tickets"),
                "tickets",
                "ticket",
                TicketEnvelopeSerializer.TYPE,
                e -> e.rejected,
                e -> e.event.getTicketId(),
                gate,
                TicketEnvelope.class,
                cacheKeys,
                used);
    }

    /** The leads' front, as {@link #tickets} (operator {@code leads-used}). */
    public static Gated<LeadEnvelope> leads(
            StreamExecutionEnvironment env,
            Source<LeadEnvelope, ?, ?> source,
            Duration outOfOrderness,
            Duration idleness,
            LeadGate gate,
            int cacheKeys,
            FilterFunction<LeadEnvelope> used) {
        return front(
                env.fromSource(source, Watermarks.leads(outOfOrderness, idleness), "leads"),
                "leads",
                "lead",
                TypeInformation.of(LeadEnvelope.class),
                e -> e.rejected,
                e -> e.event.getLeadId(),
                gate,
                LeadEnvelope.class,
                cacheKeys,
                used);
    }

    /**
     * The source's records split into accepted and rejected ({@code TOPICS-split-rejected}), the
     * accepted ones {@code used} keeps ({@code TOPICS-used}; all if null) keyed by {@code id} into
     * the gate ({@code ENTITY-gate}). The source operator's own uid is {@code TOPICS-source}.
     */
    private static <E> Gated<E> front(
            DataStreamSource<E> source,
            String topics,
            String entity,
            TypeInformation<E> envelopes,
            SplitRejected.RejectionOf<E> rejection,
            KeySelector<E, String> id,
            LifecycleGate<E> gate,
            Class<E> type,
            int cacheKeys,
            FilterFunction<E> used) {
        SingleOutputStreamOperator<E> split =
                source.uid(topics + "-source")
                        .process(new SplitRejected<>(rejection), envelopes)
                        .name(topics + "-split-rejected")
                        .uid(topics + "-split-rejected");
        DataStream<E> toGate =
                used == null
                        ? split
                        : split.filter(used).name(topics + "-used").uid(topics + "-used");
        SingleOutputStreamOperator<E> gated =
                gate(toGate.keyBy(id, Types.STRING), gate, type, cacheKeys)
                        .name(entity + "-gate")
                        .uid(entity + "-gate");
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
