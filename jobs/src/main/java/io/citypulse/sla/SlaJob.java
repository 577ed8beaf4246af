package io.citypulse.sla;

import io.citypulse.avro.DeadLetter;
import io.citypulse.clickhouse.ClickHouseSink;
import io.citypulse.clickhouse.DeadLetterSinks;
import io.citypulse.common.Args;
import io.citypulse.common.EventTimeHorizon;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.common.KeyedBroadcast;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.SplitRejected;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.kafka.TicketEnvelopeSerializer;
import io.citypulse.kafka.Watermarks;
import io.citypulse.sla.functions.AgencyDailyFunction;
import io.citypulse.sla.functions.AgencyDailyOperator;
import io.citypulse.sla.functions.SlaRules;
import io.citypulse.sla.functions.TicketSlaFunction;
import io.citypulse.sla.functions.TicketSlaOperator;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.validation.TicketValidator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * SLA job: makes every broken promise of the platform visible the moment it breaks, and measures
 * agencies by day.
 *
 * <ul>
 *   <li>Input: Kafka {@code tickets}, Avro single-object {@code TicketEvent}, event time = {@code
 *       eventTime}; undecodable and invalid records go to dead letters as in every job.
 *   <li>{@link TicketSlaFunction}, keyed by ticketId: an event-time state machine per ticket
 *       (ordering, duplicates, returns, reopen, deadlines as timers, state hygiene) writing {@code
 *       sla_breaches} rows (DISPATCH and RESOLUTION).
 *   <li>{@link AgencyDailyFunction}, keyed by (agency, day): agency performance per local day,
 *       written to {@code agency_daily}.
 *   <li>{@link EventTimeHorizon}: tells the state machine where a bounded input ends, so that
 *       deadlines later than the last event are not reported as breaches.
 * </ul>
 *
 * <p>See jobs/src/main/java/io/citypulse/sla/README-section.md for the rules and the tables.
 */
public final class SlaJob {

    static final String JOB = "sla";

    private SlaJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(
            DataStream<SlaBreach> breaches,
            DataStream<AgencyDaily> agencyDaily,
            DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(SlaConfig.USAGE);
            return;
        }
        SlaConfig config = SlaConfig.from(args);
        KafkaTopics.requireExisting(config.kafka(), config.topicsByOption());
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());

        Outputs outputs = defineWorkflow(env, ticketSource(config), config);

        outputs.breaches()
                .sinkTo(
                        new ClickHouseSink<>(
                                config.clickHouse(), new SlaBreachRows(), config.sink()))
                .name("sla_breaches")
                .uid("sla-breaches-sink");
        outputs.agencyDaily()
                .sinkTo(
                        new ClickHouseSink<>(
                                config.clickHouse(), new AgencyDailyRows(), config.sink()))
                .name("agency_daily")
                .uid("agency-daily-sink");
        DeadLetterSinks.attach(
                outputs.deadLetters(),
                config.kafka(),
                config.deadLetterTopic(),
                config.clickHouse(),
                config.sink());

        env.execute("CityPulse sla" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between source and sinks; reachable from tests without Kafka or ClickHouse. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env, Source<TicketEnvelope, ?, ?> source, SlaConfig config) {
        DataStream<TicketEnvelope> envelopes =
                env.fromSource(
                                source,
                                Watermarks.tickets(config.outOfOrderness(), config.idleness()),
                                "tickets")
                        .uid("tickets-source");

        SingleOutputStreamOperator<TicketEnvelope> accepted =
                envelopes
                        .process(
                                new SplitRejected<TicketEnvelope>(e -> e.rejected),
                                TicketEnvelopeSerializer.TYPE)
                        .name("split-rejected")
                        .uid("split-rejected");

        BroadcastStream<Long> inputEnd =
                accepted.transform(
                                "event-time-horizon",
                                Types.LONG,
                                new EventTimeHorizon<TicketEnvelope>(
                                        e ->
                                                e.isAccepted()
                                                        ? e.eventTimeMillis()
                                                        : EventTimeHorizon.IGNORE))
                        .uid("event-time-horizon")
                        .broadcast(TicketSlaFunction.HORIZON);

        TicketSlaFunction stateMachine =
                new TicketSlaFunction(
                        JOB,
                        new SlaRules(config.limits(), config.zone(), config.slaKinds()),
                        config.closedGrace(),
                        config.maxTicketAge());
        KeyedStream<TicketEnvelope, String> byTicket =
                accepted.keyBy(e -> e.event.getTicketId(), Types.STRING);
        SingleOutputStreamOperator<SlaBreach> breaches =
                // Also without a cache (0): the operator then sets the timers again on restore.
                KeyedBroadcast.transform(
                                byTicket,
                                inputEnd,
                                "sla-state-machine",
                                TypeInformation.of(SlaBreach.class),
                                new TicketSlaOperator(stateMachine, config.ticketCacheKeys()))
                        .name("sla-state-machine")
                        .uid("sla-state-machine");

        AgencyDailyFunction perDay =
                new AgencyDailyFunction(
                        config.zone(), config.agencyEmitInterval(), config.agencyDayRetention());
        KeyedStream<AgencyContribution, Tuple2<String, Integer>> byAgencyDay =
                breaches.getSideOutput(TicketSlaFunction.AGENCY)
                        .keyBy(
                                c -> Tuple2.of(c.fact.agency, c.fact.epochDay),
                                Types.TUPLE(Types.STRING, Types.INT));
        SingleOutputStreamOperator<AgencyDaily> agencyDaily =
                // Also without a cache (0): the operator then sets the timers again on restore.
                byAgencyDay
                        .transform(
                                "agency-daily",
                                TypeInformation.of(AgencyDaily.class),
                                new AgencyDailyOperator(perDay, config.agencyCacheKeys()))
                        .name("agency-daily")
                        .uid("agency-daily");

        DataStream<DeadLetter> deadLetters =
                accepted.getSideOutput(SplitRejected.REJECTED)
                        .union(breaches.getSideOutput(TicketSlaFunction.STALE));
        return new Outputs(breaches, agencyDaily, deadLetters);
    }

    static KafkaSource<TicketEnvelope> ticketSource(SlaConfig config) {
        return KafkaConnectors.source(
                config.kafka(),
                config.ticketsTopic(),
                config.groupId(),
                config.bounded(),
                new TicketDeserializationSchema(JOB, new TicketValidator(config.maxFuture())));
    }
}
