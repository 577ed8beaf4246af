package io.citypulse.hotspot;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEventType;
import io.citypulse.clickhouse.ClickHouseSink;
import io.citypulse.clickhouse.RejectedEventRows;
import io.citypulse.common.Args;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.hotspot.functions.CountAggregate;
import io.citypulse.hotspot.functions.EmitTicketCount;
import io.citypulse.hotspot.functions.LateToDeadLetter;
import io.citypulse.hotspot.functions.SplitRejected;
import io.citypulse.hotspot.records.TicketCount;
import io.citypulse.kafka.DeadLetterSerializationSchema;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.kafka.Watermarks;
import io.citypulse.validation.TicketValidator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Hotspot job (first version): counts CREATED tickets in 5-minute tumbling event-time windows by
 * (categoryMajor, categoryCode, district) and writes them to ClickHouse {@code ticket_counts_5m}.
 *
 * <ul>
 *   <li>Input: Kafka {@code tickets}, Avro single-object {@code TicketEvent}, event time = {@code
 *       eventTime}.
 *   <li>Key: (categoryMajor, categoryCode, district). State: one count per key and open window.
 *   <li>Output: {@code ticket_counts_5m} rows; undecodable, invalid and late records as dead
 *       letters to Kafka {@code dead-letters} and ClickHouse {@code rejected_events}.
 * </ul>
 *
 * <p>Bounded mode reads every partition from the earliest offset up to the offsets that exist at
 * start, fires all windows at end of input, flushes the sinks and exits.
 */
public final class HotspotJob {

    static final String JOB = "hotspot";

    static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(5);

    /** Events too late for their window (past allowed lateness). */
    static final OutputTag<TicketEnvelope> LATE = new OutputTag<>("late") {};

    private HotspotJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(DataStream<TicketCount> counts, DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(HotspotConfig.USAGE);
            return;
        }
        HotspotConfig config = HotspotConfig.from(args);
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());

        Outputs outputs = defineWorkflow(env, ticketSource(config), config);

        outputs.counts()
                .sinkTo(
                        new ClickHouseSink<>(
                                config.clickHouse(), new TicketCountRows(), config.sink()))
                .name("ticket_counts_5m")
                .uid("ticket-counts-5m-sink");
        outputs.deadLetters()
                .sinkTo(deadLetterSink(config))
                .name("dead-letters")
                .uid("dead-letters-kafka-sink");
        outputs.deadLetters()
                .sinkTo(
                        new ClickHouseSink<>(
                                config.clickHouse(), new RejectedEventRows(), config.sink()))
                .name("rejected_events")
                .uid("rejected-events-sink");

        env.execute("CityPulse hotspot" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between source and sinks; reachable from tests without Kafka or ClickHouse. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> source,
            HotspotConfig config) {
        DataStream<TicketEnvelope> envelopes =
                env.fromSource(
                                source,
                                Watermarks.tickets(config.outOfOrderness(), config.idleness()),
                                "tickets")
                        .uid("tickets-source");

        SingleOutputStreamOperator<TicketEnvelope> accepted =
                envelopes.process(new SplitRejected()).name("split-rejected").uid("split-rejected");

        SingleOutputStreamOperator<TicketCount> counts =
                countCreated(
                        accepted.filter(e -> e.event.getType() == TicketEventType.CREATED)
                                .name("created-only")
                                .uid("created-only"),
                        config.allowedLateness());

        DataStream<DeadLetter> late =
                counts.getSideOutput(LATE)
                        .map(new LateToDeadLetter(JOB))
                        .name("late-to-dead-letter")
                        .uid("late-to-dead-letter");
        DataStream<DeadLetter> deadLetters =
                accepted.getSideOutput(SplitRejected.REJECTED).union(late);
        return new Outputs(counts, deadLetters);
    }

    /**
     * 5-minute tumbling event-time counts per (categoryMajor, categoryCode, district); events later
     * than the allowed lateness go to the {@link #LATE} side output.
     */
    static SingleOutputStreamOperator<TicketCount> countCreated(
            DataStream<TicketEnvelope> created, java.time.Duration allowedLateness) {
        return created.keyBy(
                        e ->
                                Tuple3.of(
                                        e.event.getCategoryMajor(),
                                        e.event.getCategoryCode(),
                                        e.event.getDistrict()),
                        Types.TUPLE(Types.STRING, Types.STRING, Types.STRING))
                .window(TumblingEventTimeWindows.of(WINDOW))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE)
                .aggregate(new CountAggregate<>(), new EmitTicketCount())
                .name("created-5m")
                .uid("created-5m");
    }

    static KafkaSource<TicketEnvelope> ticketSource(HotspotConfig config) {
        KafkaSourceBuilder<TicketEnvelope> builder =
                KafkaSource.<TicketEnvelope>builder()
                        .setBootstrapServers(config.kafka().bootstrapServers())
                        .setProperties(config.kafka().properties())
                        .setTopics(config.ticketsTopic())
                        .setGroupId(config.groupId())
                        .setDeserializer(
                                new TicketDeserializationSchema(
                                        JOB, new TicketValidator(config.maxFuture())));
        if (config.bounded()) {
            // A replay: everything the topic holds now, from the beginning, then stop.
            builder.setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest())
                    // A replay does not resume from, nor move, the live job's group offsets.
                    .setProperty("commit.offsets.on.checkpoint", "false");
        } else {
            builder.setStartingOffsets(
                    OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        }
        return builder.build();
    }

    static KafkaSink<DeadLetter> deadLetterSink(HotspotConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.kafka().bootstrapServers())
                .setKafkaProducerConfig(config.kafka().properties())
                .setRecordSerializer(new DeadLetterSerializationSchema(config.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
