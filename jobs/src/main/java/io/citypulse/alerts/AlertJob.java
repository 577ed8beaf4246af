package io.citypulse.alerts;

import io.citypulse.alerts.functions.LeadSignals;
import io.citypulse.alerts.functions.Signal;
import io.citypulse.alerts.functions.SpikeDetector;
import io.citypulse.alerts.functions.TicketSignals;
import io.citypulse.alerts.records.SeriesEvaluation;
import io.citypulse.alerts.records.WeeklyRow;
import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.clickhouse.ClickHouseSink;
import io.citypulse.clickhouse.DeadLetterSinks;
import io.citypulse.common.Args;
import io.citypulse.common.CachingKeyedBroadcastOperator;
import io.citypulse.common.EventTimeHorizon;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.common.KeyedBroadcast;
import io.citypulse.gate.GatedInputs;
import io.citypulse.gate.LeadGate;
import io.citypulse.gate.LifecycleGate;
import io.citypulse.gate.TicketGate;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.LeadDeserializationSchema;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.TicketValidator;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Alert job: notices when a category of problem surges or keeps running above its usual level, and
 * follows each such episode from OPENED to RESOLVED.
 *
 * <ul>
 *   <li>Input: Kafka {@code tickets} and {@code leads} (Avro), event time = {@code eventTime}.
 *   <li>Per stream: decode and validate (bad records → dead letters), then a {@link LifecycleGate}
 *       keyed by ticket/lead id with zero allowed lateness: duplicates are dropped, steps of
 *       unknown tickets/leads and events behind the watermark (whose 5-minute step has been
 *       evaluated) become dead letters, so nothing is lost silently.
 *   <li>Tickets CREATED and DISPATCHED and leads CAPTURED become {@link Signal}s keyed by major
 *       category into the {@link SpikeDetector} (the detector and the alert lifecycle).
 *   <li>Output: Kafka {@code alerts} ({@link HotspotAlert}, keyed by alertId) and ClickHouse {@code
 *       alerts}; ClickHouse {@code case_category_weekly}; dead letters to Kafka {@code
 *       dead-letters} and ClickHouse {@code rejected_events}.
 * </ul>
 *
 * <p>Alerts are written at least once: after a failure the job replays from its last checkpoint and
 * may write records it wrote before, identical byte for byte (same alertId and revision, because
 * every decision is in event time). ClickHouse keeps one row per alert (ReplacingMergeTree by
 * revision) and the notifier's idempotency key (alertId:state:revision) lets receivers drop the
 * repeats.
 */
public final class AlertJob {

    static final String JOB = "alerts";

    private AlertJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(
            DataStream<HotspotAlert> alerts,
            DataStream<WeeklyRow> weekly,
            DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(AlertConfig.USAGE);
            return;
        }
        AlertConfig config = AlertConfig.from(args);
        KafkaTopics.requireExisting(config.kafka(), config.topicsByOption());
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());

        Outputs outputs =
                defineWorkflow(
                        env,
                        KafkaConnectors.source(
                                config.kafka(),
                                config.ticketsTopic(),
                                config.groupId(),
                                config.bounded(),
                                new TicketDeserializationSchema(
                                        JOB, new TicketValidator(config.maxFuture(), null))),
                        KafkaConnectors.source(
                                config.kafka(),
                                config.leadsTopic(),
                                config.groupId(),
                                config.bounded(),
                                new LeadDeserializationSchema(
                                        JOB, new LeadValidator(config.maxFuture(), null))),
                        config);

        outputs.alerts()
                .sinkTo(
                        KafkaSink.<HotspotAlert>builder()
                                .setBootstrapServers(config.kafka().bootstrapServers())
                                .setKafkaProducerConfig(config.kafka().properties())
                                .setRecordSerializer(
                                        new AlertSerializationSchema(config.alertsTopic()))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .name("alerts-kafka")
                .uid("alerts-kafka-sink");
        outputs.alerts()
                .sinkTo(new ClickHouseSink<>(config.clickHouse(), new AlertRows(), config.sink()))
                .name("alerts")
                .uid("alerts-sink");
        outputs.weekly()
                .sinkTo(new ClickHouseSink<>(config.clickHouse(), new WeeklyRows(), config.sink()))
                .name("case_category_weekly")
                .uid("case-category-weekly-sink");
        DeadLetterSinks.attach(
                outputs.deadLetters(),
                config.kafka(),
                config.deadLetterTopic(),
                config.clickHouse(),
                config.sink());

        if (config.rules().emitEvaluations()) {
            ((SingleOutputStreamOperator<HotspotAlert>) outputs.alerts())
                    .getSideOutput(SpikeDetector.EVALUATIONS)
                    .map(SeriesEvaluation::toString)
                    .name("evaluations-log")
                    .uid("evaluations-log")
                    .print("evaluation")
                    .name("evaluations-print")
                    .uid("evaluations-print");
        }

        env.execute("CityPulse alerts" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between sources and sinks; reachable from tests without Kafka or ClickHouse. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> ticketSource,
            Source<LeadEnvelope, ?, ?> leadSource,
            AlertConfig config) {
        GatedInputs.Gated<TicketEnvelope> tickets =
                GatedInputs.tickets(
                        env,
                        ticketSource,
                        config.outOfOrderness(),
                        config.idleness(),
                        new TicketGate(JOB, Duration.ZERO, config.entityRetention()),
                        config.gateCacheKeys(),
                        new TicketSignals.Used());
        GatedInputs.Gated<LeadEnvelope> leads =
                GatedInputs.leads(
                        env,
                        leadSource,
                        config.outOfOrderness(),
                        config.idleness(),
                        new LeadGate(JOB, Duration.ZERO, config.entityRetention()),
                        config.gateCacheKeys(),
                        new LeadSignals.Used());

        DataStream<Signal> signals =
                tickets.gated()
                        .flatMap(new TicketSignals(), TypeInformation.of(Signal.class))
                        .name("ticket-signals")
                        .uid("ticket-signals")
                        .union(
                                leads.gated()
                                        .flatMap(
                                                new LeadSignals(), TypeInformation.of(Signal.class))
                                        .name("lead-signals")
                                        .uid("lead-signals"));

        BroadcastStream<Long> inputEnd =
                signals.transform(
                                "event-time-horizon",
                                Types.LONG,
                                new EventTimeHorizon<Signal>(s -> s.time))
                        .uid("alerts-event-time-horizon")
                        .broadcast(SpikeDetector.HORIZON);

        KeyedStream<Signal, String> byMajor = signals.keyBy(s -> s.categoryMajor, Types.STRING);
        SpikeDetector detector = new SpikeDetector(config.rules());
        SingleOutputStreamOperator<HotspotAlert> alerts =
                (config.detectorCacheKeys() == 0
                                ? byMajor.connect(inputEnd)
                                        .process(detector, TypeInformation.of(HotspotAlert.class))
                                : KeyedBroadcast.transform(
                                        byMajor,
                                        inputEnd,
                                        "spike-detector",
                                        TypeInformation.of(HotspotAlert.class),
                                        new CachingKeyedBroadcastOperator<>(
                                                detector,
                                                List.of(SpikeDetector.HORIZON),
                                                config.detectorCacheKeys())))
                        .name("spike-detector")
                        .uid("spike-detector");

        DataStream<DeadLetter> deadLetters = tickets.rejected().union(leads.rejected());
        return new Outputs(alerts, alerts.getSideOutput(SpikeDetector.WEEKLY), deadLetters);
    }
}
