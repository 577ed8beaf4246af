package io.citypulse.hotspot;

import io.citypulse.avro.DeadLetter;
import io.citypulse.clickhouse.ClickHouseSink;
import io.citypulse.clickhouse.DeadLetterSinks;
import io.citypulse.common.Args;
import io.citypulse.common.CachingKeyedProcessOperator;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.CountRows;
import io.citypulse.counts.Granularity;
import io.citypulse.counts.MultiWindowCounter;
import io.citypulse.counts.MultiWindowCounterOperator;
import io.citypulse.gate.GatedInputs;
import io.citypulse.gate.LeadGate;
import io.citypulse.gate.LifecycleGate;
import io.citypulse.gate.TicketGate;
import io.citypulse.hotspot.functions.HotspotRanker;
import io.citypulse.hotspot.functions.LeadFacts;
import io.citypulse.hotspot.functions.TicketFacts;
import io.citypulse.hotspot.records.HotspotRow;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.LeadDeserializationSchema;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.TicketValidator;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Hotspot job: what the big screen shows about where problems concentrate now.
 *
 * <ul>
 *   <li>Input: Kafka {@code tickets} ({@code TicketEvent}) and {@code leads} ({@code LeadEvent}),
 *       Avro single-object encoding, event time = {@code eventTime}.
 *   <li>Per stream: decode and validate (bad records → dead letters), then a {@link LifecycleGate}
 *       keyed by ticket/lead id (duplicates dropped, lifecycle steps of unknown tickets/leads and
 *       events past the allowed lateness → dead letters), then a {@link MultiWindowCounter} keyed
 *       by the dimension combination (5-minute, hourly, daily counts with live partial results).
 *   <li>Tickets additionally feed the {@link HotspotRanker} (hourly hotspots, every 5 minutes).
 *   <li>Output: ClickHouse {@code ticket_counts_5m|1h|1d}, {@code lead_counts_5m|1h|1d}, {@code
 *       hotspots}; dead letters to Kafka {@code dead-letters} and ClickHouse {@code
 *       rejected_events}.
 * </ul>
 *
 * <p>Bounded mode reads every partition from the earliest offset up to the offsets that exist at
 * start, fires all windows at end of input, flushes the sinks and exits.
 */
public final class HotspotJob {

    static final String JOB = "hotspot";

    private HotspotJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(
            DataStream<CountRow> ticketCounts,
            DataStream<CountRow> leadCounts,
            DataStream<HotspotRow> hotspots,
            DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(HotspotConfig.USAGE);
            return;
        }
        HotspotConfig config = HotspotConfig.from(args);
        KafkaTopics.requireExisting(config.kafka(), config.topicsByOption());
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());

        Outputs outputs =
                defineWorkflow(
                        env,
                        source(config, config.ticketsTopic(), ticketDeserializer(config)),
                        source(config, config.leadsTopic(), leadDeserializer(config)),
                        config);

        sinkCounts(
                outputs.ticketCounts(),
                "ticket_counts",
                TicketFacts.DIMENSIONS,
                TicketFacts.MEASURES,
                config);
        sinkCounts(
                outputs.leadCounts(),
                "lead_counts",
                LeadFacts.DIMENSIONS,
                LeadFacts.MEASURES,
                config);
        outputs.hotspots()
                .sinkTo(new ClickHouseSink<>(config.clickHouse(), new HotspotRows(), config.sink()))
                .name("hotspots")
                .uid("hotspots-sink");
        DeadLetterSinks.attach(
                outputs.deadLetters(),
                config.kafka(),
                config.deadLetterTopic(),
                config.clickHouse(),
                config.sink());

        env.execute("CityPulse hotspot" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between sources and sinks; reachable from tests without Kafka or ClickHouse. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> ticketSource,
            Source<LeadEnvelope, ?, ?> leadSource,
            HotspotConfig config) {
        // Tickets.
        GatedInputs.Gated<TicketEnvelope> tickets =
                GatedInputs.tickets(
                        env,
                        ticketSource,
                        config.outOfOrderness(),
                        config.idleness(),
                        new TicketGate(JOB, config.allowedLateness(), config.entityRetention()),
                        config.gateCacheKeys(),
                        null); // every event: each step is a measure
        SingleOutputStreamOperator<CountRow> ticketCounts =
                count(
                        tickets.gated()
                                .map(new TicketFacts())
                                .name("ticket-facts")
                                .uid("ticket-facts"),
                        TicketFacts.MEASURES.size(),
                        config,
                        "ticket-counts");

        // Leads.
        GatedInputs.Gated<LeadEnvelope> leads =
                GatedInputs.leads(
                        env,
                        leadSource,
                        config.outOfOrderness(),
                        config.idleness(),
                        new LeadGate(JOB, config.allowedLateness(), config.entityRetention()),
                        config.gateCacheKeys(),
                        null); // every event: each step is a measure
        SingleOutputStreamOperator<CountRow> leadCounts =
                count(
                        leads.gated().map(new LeadFacts()).name("lead-facts").uid("lead-facts"),
                        LeadFacts.MEASURES.size(),
                        config,
                        "lead-counts");

        // Hotspots from the final 5-minute ticket counts; one global ranking.
        DataStream<HotspotRow> hotspots =
                ticketCounts
                        .filter(HotspotRanker::accepts)
                        .name("final-5m-ticket-counts")
                        .uid("final-5m-ticket-counts")
                        .keyBy(r -> "city")
                        // Its state written back before each barrier (one key: "city").
                        .transform(
                                "hotspot-ranker",
                                TypeInformation.of(HotspotRow.class),
                                new CachingKeyedProcessOperator<>(
                                        new HotspotRanker(
                                                config.zone(),
                                                config.topN(),
                                                config.minVolume(),
                                                0.3),
                                        1))
                        .name("hotspot-ranker")
                        .uid("hotspot-ranker");

        DataStream<DeadLetter> deadLetters =
                tickets.rejected()
                        .union(
                                leads.rejected(),
                                ticketCounts
                                        .getSideOutput(MultiWindowCounter.TOO_LATE)
                                        .map(new TooLateToDeadLetter(JOB, config.ticketsTopic()))
                                        .name("ticket-counter-too-late")
                                        .uid("ticket-counter-too-late"),
                                leadCounts
                                        .getSideOutput(MultiWindowCounter.TOO_LATE)
                                        .map(new TooLateToDeadLetter(JOB, config.leadsTopic()))
                                        .name("lead-counter-too-late")
                                        .uid("lead-counter-too-late"));
        return new Outputs(ticketCounts, leadCounts, hotspots, deadLetters);
    }

    private static SingleOutputStreamOperator<CountRow> count(
            DataStream<CountFact> facts, int measures, HotspotConfig config, String name) {
        MultiWindowCounter counter =
                new MultiWindowCounter(
                        measures, config.zone(), config.allowedLateness(), config.partialEvery());
        KeyedStream<CountFact, String> keyed = facts.keyBy(f -> f.key);
        // Also without a cache (0): the operator then sets the timers again on restore.
        SingleOutputStreamOperator<CountRow> counts =
                keyed.transform(
                        name,
                        TypeInformation.of(CountRow.class),
                        new MultiWindowCounterOperator(counter, config.counterCacheKeys()));
        return counts.name(name).uid(name);
    }

    private static void sinkCounts(
            DataStream<CountRow> rows,
            String tablePrefix,
            java.util.List<String> dimensions,
            java.util.List<String> measures,
            HotspotConfig config) {
        Map<Granularity, String> tables = new EnumMap<>(Granularity.class);
        for (Granularity g : Granularity.values()) {
            tables.put(g, tablePrefix + "_" + g.suffix());
        }
        for (Granularity g : Granularity.values()) {
            String table = tables.get(g);
            rows.filter(r -> r.granularity == g)
                    .name(table + "-rows")
                    .uid(table + "-rows")
                    .sinkTo(
                            new ClickHouseSink<>(
                                    config.clickHouse(),
                                    new CountRows(table, dimensions, measures),
                                    config.sink()))
                    .name(table)
                    .uid(table + "-sink");
        }
    }

    static TicketDeserializationSchema ticketDeserializer(HotspotConfig config) {
        return new TicketDeserializationSchema(
                JOB, new TicketValidator(config.maxFuture(), config.knownCodes()));
    }

    static LeadDeserializationSchema leadDeserializer(HotspotConfig config) {
        return new LeadDeserializationSchema(
                JOB, new LeadValidator(config.maxFuture(), config.knownCodes()));
    }

    static <E> KafkaSource<E> source(
            HotspotConfig config, String topic, KafkaRecordDeserializationSchema<E> deserializer) {
        return KafkaConnectors.source(
                config.kafka(), topic, config.groupId(), config.bounded(), deserializer);
    }
}
