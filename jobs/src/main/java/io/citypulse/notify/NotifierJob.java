package io.citypulse.notify;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.common.Args;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.SplitRejected;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Notifier job: tells people about alerts where they already look.
 *
 * <ul>
 *   <li>Input: Kafka {@code alerts} ({@code HotspotAlert}, Avro single-object encoding, key
 *       alertId). Undecodable records → dead letters ({@code dead-letters}); the job never stops on
 *       bad input.
 *   <li>{@link MatchSubscribers}: one {@link Delivery} per (alert record, subscriber whose filter
 *       matches), body rendered per format ({@link Payloads}). Stateless.
 *   <li>Keyed by the subscriber's endpoint, {@link HttpDeliveryFunction} (async I/O, unordered)
 *       POSTs each delivery, signed, with retries and a per-endpoint concurrency bound.
 *   <li>Output: successful deliveries (JSON lines, {@code notify-deliveries}), deliveries given up
 *       on as {@link FailedDelivery} (JSON lines, {@code notify-failures}, also logged at WARN).
 * </ul>
 *
 * <p>Delivery is at least once: deliveries in flight are checkpointed and re-sent after a restart;
 * the {@code Idempotency-Key} header ({@code <alertId>:<state>:<revision>}) lets receivers drop the
 * repeats. Order among deliveries is not kept. Bounded mode reads what the topic holds now,
 * delivers it all (waiting for every retry to end) and exits.
 */
public final class NotifierJob {

    static final String JOB = "notifier";

    private NotifierJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(
            DataStream<DeliveryOutcome> delivered,
            DataStream<FailedDelivery> failedDeliveries,
            DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(NotifierConfig.USAGE);
            return;
        }
        NotifierConfig config = NotifierConfig.from(args);
        KafkaTopics.requireExisting(config.kafka(), config.topicsByOption());
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());

        Outputs outputs = defineWorkflow(env, source(config), config);

        outputs.delivered()
                .sinkTo(
                        jsonSink(
                                config,
                                new JsonLinesSerializationSchema<DeliveryOutcome>(
                                        config.deliveriesTopic(),
                                        o -> o.idempotencyKey + "/" + o.subscriber)))
                .name("notify-deliveries")
                .uid("notify-deliveries-sink");
        outputs.failedDeliveries()
                .sinkTo(
                        jsonSink(
                                config,
                                new JsonLinesSerializationSchema<FailedDelivery>(
                                        config.failuresTopic(),
                                        f -> f.idempotencyKey + "/" + f.subscriber)))
                .name("notify-failures")
                .uid("notify-failures-sink");
        outputs.deadLetters()
                .sinkTo(KafkaConnectors.deadLetterSink(config.kafka(), config.deadLetterTopic()))
                .name("dead-letters")
                .uid("dead-letters-kafka-sink");

        env.execute("CityPulse notifier" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between source and sinks; reachable from tests without Kafka. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            Source<AlertEnvelope, ?, ?> alertsSource,
            NotifierConfig config) {
        SingleOutputStreamOperator<AlertEnvelope> alerts =
                env.fromSource(alertsSource, WatermarkStrategy.noWatermarks(), "alerts")
                        .uid("alerts-source")
                        .process(new SplitRejected<AlertEnvelope>(e -> e.rejected))
                        .name("alerts-split-rejected")
                        .uid("alerts-split-rejected");
        DataStream<Delivery> deliveries =
                alerts.map(e -> e.alert)
                        .returns(HotspotAlert.class)
                        .name("alerts-accepted")
                        .uid("alerts-accepted")
                        .flatMap(new MatchSubscribers(config.subscribers(), config.zone()))
                        .name("match-subscribers")
                        .uid("match-subscribers");
        DeliverySettings delivery = config.delivery();
        // Keyed by endpoint: every endpoint is served by one subtask, so the per-subtask
        // concurrency bound of HttpDeliveryFunction is the bound for the whole job.
        DataStream<DeliveryOutcome> outcomes =
                AsyncDataStream.unorderedWait(
                                deliveries.keyBy(d -> d.endpointKey),
                                new HttpDeliveryFunction(config.subscribers(), delivery),
                                delivery.asyncTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                delivery.asyncCapacity())
                        .name("http-delivery")
                        .uid("http-delivery");
        SingleOutputStreamOperator<DeliveryOutcome> delivered =
                outcomes.process(new SplitOutcomes())
                        .name("split-delivery-outcomes")
                        .uid("split-delivery-outcomes");
        return new Outputs(
                delivered,
                delivered.getSideOutput(SplitOutcomes.FAILED),
                alerts.getSideOutput(SplitRejected.REJECTED));
    }

    static KafkaSource<AlertEnvelope> source(NotifierConfig config) {
        return KafkaConnectors.source(
                config.kafka(),
                config.alertsTopic(),
                config.groupId(),
                config.bounded(),
                new AlertDeserializationSchema(JOB));
    }

    /** JSON lines, at least once: a record written twice is recognisable by its key. */
    static <T> KafkaSink<T> jsonSink(
            NotifierConfig config, JsonLinesSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.kafka().bootstrapServers())
                .setKafkaProducerConfig(config.kafka().properties())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
