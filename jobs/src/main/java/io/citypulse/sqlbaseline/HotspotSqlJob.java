package io.citypulse.sqlbaseline;

import io.citypulse.avro.DeadLetter;
import io.citypulse.clickhouse.ClickHouseSink;
import io.citypulse.clickhouse.DeadLetterSinks;
import io.citypulse.common.Args;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.CountRows;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.HotspotConfig;
import io.citypulse.hotspot.functions.LeadFacts;
import io.citypulse.hotspot.functions.TicketFacts;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.LeadDeserializationSchema;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.SplitRejected;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.kafka.Watermarks;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.TicketValidator;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The Flink SQL baseline of {@code HotspotJob}'s counts: the same 5-minute, hourly and daily
 * aggregates ({@code ticket_counts_5m|1h|1d}, {@code lead_counts_5m|1h|1d}) computed the way a
 * Flink SQL user would, so scripts/bench can compare the two in one run.
 *
 * <ul>
 *   <li>Input: the same Kafka topics, sources, decoding, validation and watermarks as HotspotJob
 *       (Flink's built-in {@code avro} format cannot read the single-object encoding's header):
 *       {@link TicketDeserializationSchema} / {@link LeadDeserializationSchema} and {@link
 *       Watermarks} (bounded out-of-orderness, idleness). Rejected records go to the same dead
 *       letters.
 *   <li>Into SQL: accepted events as rows ({@link EventRows}) whose rowtime is {@code local_time},
 *       the event's wall-clock date-time in {@code --zone} ({@code TIMESTAMP(3)}), with the
 *       DataStream's own watermarks moved onto that clock ({@link LocalClockWatermarks}, {@code
 *       SOURCE_WATERMARK()}), so hour and day windows align to the city's local clock as
 *       HotspotJob's do. (A {@code TIMESTAMP_LTZ} rowtime with {@code table.local-time-zone} loses
 *       day-window records in Flink 2.2 for zones without current daylight saving; see {@link
 *       LocalClockWatermarks}.)
 *   <li>SQL ({@link HotspotSql}): per stream, deduplication on (entity id, event id) with {@code
 *       ROW_NUMBER() ... ORDER BY proctime} keep-first, then {@code TUMBLE} window table-valued
 *       functions of 5 minutes, 1 hour and 1 day with {@code COUNT(*) FILTER (WHERE ...)} per
 *       measure, grouped by the same dimensions as TicketFacts / LeadFacts.
 *   <li>Output: back to a DataStream of {@link CountRow} ({@link SqlCountRows}) and through the
 *       same ClickHouse sink ({@link ClickHouseSink}, {@link CountRows}) into the same tables.
 * </ul>
 *
 * <p>Semantic differences from HotspotJob (same results on clean, in-time input):
 *
 * <ul>
 *   <li>No live partial rows: a window TVF emits once, when the watermark passes the window's end,
 *       so "today so far" appears only after midnight. Every row written is final.
 *   <li>No allowed lateness: window TVFs drop events for windows that already fired. Instead of a
 *       silent loss, {@link ClosedWindowFilter} sends events whose 5-minute window has closed to
 *       dead letters {@code LATE}; HotspotJob still counts them for {@code --allowed-lateness}
 *       (default 1 h) and re-emits the corrected final row.
 *   <li>Deduplication state: the SQL dedup keeps one entry per (entity, event id) for {@code
 *       table.exec.state.ttl} (default: forever) instead of the gate's event-time retention after
 *       an entity's last event ({@code --entity-retention}); set {@code -Dtable.exec.state.ttl=30d}
 *       for a comparable bound (processing time).
 *   <li>No lifecycle check: lifecycle steps of tickets or leads whose birth event (CREATED,
 *       CAPTURED) never arrives are counted; HotspotJob sends them to dead letters {@code
 *       UNKNOWN_TICKET} / {@code UNKNOWN_LEAD}.
 *   <li>No hotspot ranking ({@code hotspots} table): the baseline covers the count tables only.
 *   <li>Zones with daylight saving: windows are wall-clock windows, so the repeated hour of a
 *       fall-back is one two-hour "hour" window (HotspotJob: two) and bounds map back to instants
 *       with the earlier offset; Asia/Shanghai has no daylight saving.
 * </ul>
 */
public final class HotspotSqlJob {

    static final String JOB = "hotspot-sql";

    public static final String USAGE =
            String.join(
                    "\n",
                    "hotspot-sql: the Flink SQL baseline of hotspot's counts: ticket and lead counts in",
                    "             5-minute, hourly and daily windows (window TVFs) -> ClickHouse",
                    "             ticket_counts_5m|1h|1d, lead_counts_5m|1h|1d (no partial rows, no hotspots)",
                    "",
                    "Options: those of 'hotspot --help'; the group id defaults to citypulse-hotspot-sql.",
                    "Used: --bounded, --bootstrap, --kafka-properties, --no-topic-check, --tickets-topic,",
                    "  --leads-topic, --dead-letter-topic, --group-id, --clickhouse-*, --zone, --out-of-orderness,",
                    "  --idleness, --max-future, --catalogue, --sink-*, --flink-conf-dir, -Dkey=value (Flink and",
                    "  table.* settings, e.g. -Dtable.exec.state.ttl=30d for the dedup state).",
                    "Accepted but without effect here: --allowed-lateness (window TVFs have none: events",
                    "  after their window closed -> dead letters LATE), --partial-every, --entity-retention,",
                    "  --top-n, --min-volume.");

    private HotspotSqlJob() {}

    /** What the workflow produces, for main to attach real sinks and tests collecting ones. */
    record Outputs(
            DataStream<CountRow> ticketCounts,
            DataStream<CountRow> leadCounts,
            DataStream<DeadLetter> deadLetters) {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(withDefaultGroupId(argv), System.getenv());
        if (args.flag("help")) {
            System.out.println(USAGE);
            return;
        }
        HotspotConfig config = HotspotConfig.from(args);
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
                                        JOB,
                                        new TicketValidator(
                                                config.maxFuture(), config.knownCodes()))),
                        KafkaConnectors.source(
                                config.kafka(),
                                config.leadsTopic(),
                                config.groupId(),
                                config.bounded(),
                                new LeadDeserializationSchema(
                                        JOB,
                                        new LeadValidator(
                                                config.maxFuture(), config.knownCodes()))),
                        config);

        sinkCounts(outputs.ticketCounts(), "ticket_counts", TicketFacts.DIMENSIONS, config);
        sinkCounts(outputs.leadCounts(), "lead_counts", LeadFacts.DIMENSIONS, config);
        DeadLetterSinks.attach(
                outputs.deadLetters(),
                config.kafka(),
                config.deadLetterTopic(),
                config.clickHouse(),
                config.sink());

        env.execute("CityPulse hotspot-sql" + (config.bounded() ? " (bounded)" : ""));
    }

    /** Everything between sources and sinks; reachable from tests without Kafka or ClickHouse. */
    static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            Source<TicketEnvelope, ?, ?> ticketSource,
            Source<LeadEnvelope, ?, ?> leadSource,
            HotspotConfig config) {
        StreamTableEnvironment tableEnv =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        // Windows run on the city's wall clock (local_time), not on TIMESTAMP_LTZ with a session
        // zone: see LocalClockWatermarks.
        tableEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);

        // Tickets.
        Front<TicketEnvelope> tickets =
                front(
                        env,
                        ticketSource,
                        Watermarks.tickets(config.outOfOrderness(), config.idleness()),
                        TicketEnvelope.class,
                        "tickets",
                        e -> e.rejected,
                        new ClosedWindowFilter.Tickets(JOB));
        register(
                tableEnv,
                "tickets",
                config.zone(),
                tickets.accepted()
                        .map(new EventRows.Tickets(config.zone()), EventRows.TICKET_TYPE)
                        .name("ticket-rows")
                        .uid("ticket-rows"));
        tableEnv.executeSql(
                HotspotSql.dedupView(
                        "tickets_once",
                        "tickets",
                        "ticket_id",
                        TicketFacts.DIMENSIONS,
                        List.of("type", "urgency", "expedited")));
        DataStream<CountRow> ticketCounts =
                counts(
                        tableEnv,
                        HotspotSql.countsQuery(
                                "tickets_once", TicketFacts.DIMENSIONS, HotspotSql.TICKET_MEASURES),
                        config,
                        TicketFacts.DIMENSIONS.size(),
                        TicketFacts.MEASURES.size(),
                        "ticket-count-rows");

        // Leads.
        Front<LeadEnvelope> leads =
                front(
                        env,
                        leadSource,
                        Watermarks.leads(config.outOfOrderness(), config.idleness()),
                        LeadEnvelope.class,
                        "leads",
                        e -> e.rejected,
                        new ClosedWindowFilter.Leads(JOB));
        register(
                tableEnv,
                "leads",
                config.zone(),
                leads.accepted()
                        .map(new EventRows.Leads(config.zone()), EventRows.LEAD_TYPE)
                        .name("lead-rows")
                        .uid("lead-rows"));
        tableEnv.executeSql(
                HotspotSql.dedupView(
                        "leads_once", "leads", "lead_id", LeadFacts.DIMENSIONS, List.of("type")));
        DataStream<CountRow> leadCounts =
                counts(
                        tableEnv,
                        HotspotSql.countsQuery(
                                "leads_once", LeadFacts.DIMENSIONS, HotspotSql.LEAD_MEASURES),
                        config,
                        LeadFacts.DIMENSIONS.size(),
                        LeadFacts.MEASURES.size(),
                        "lead-count-rows");

        DataStream<DeadLetter> deadLetters = tickets.rejected().union(leads.rejected());
        return new Outputs(ticketCounts, leadCounts, deadLetters);
    }

    /** Accepted, in-time events of one stream and everything rejected on the way. */
    private record Front<E>(
            SingleOutputStreamOperator<E> split, SingleOutputStreamOperator<E> accepted) {

        DataStream<DeadLetter> rejected() {
            return split.getSideOutput(SplitRejected.REJECTED)
                    .union(accepted.getSideOutput(ClosedWindowFilter.LATE));
        }
    }

    private static <E> Front<E> front(
            StreamExecutionEnvironment env,
            Source<E, ?, ?> source,
            WatermarkStrategy<E> watermarks,
            Class<E> type,
            String name,
            SplitRejected.RejectionOf<E> rejection,
            ClosedWindowFilter<E> closedWindowFilter) {
        SingleOutputStreamOperator<E> split =
                env.fromSource(source, watermarks, name)
                        .uid(name + "-source")
                        .process(new SplitRejected<E>(rejection), TypeInformation.of(type))
                        .name(name + "-split-rejected")
                        .uid(name + "-split-rejected");
        SingleOutputStreamOperator<E> accepted =
                split.process(closedWindowFilter, TypeInformation.of(type))
                        .name(name + "-closed-window-filter")
                        .uid(name + "-closed-window-filter");
        return new Front<>(split, accepted);
    }

    /**
     * Registers the rows as a table whose {@code rowtime} is {@code local_time} (millisecond
     * precision) with the DataStream's own watermarks moved onto the same wall clock, plus a
     * processing-time column for deduplication.
     */
    private static void register(
            StreamTableEnvironment tableEnv, String name, ZoneId zone, DataStream<Row> rows) {
        DataStream<Row> onWallClock =
                rows.transform(
                                name + "-wall-clock-watermarks",
                                rows.getType(),
                                new LocalClockWatermarks<Row>(zone))
                        .uid(name + "-wall-clock-watermarks");
        Table table =
                tableEnv.fromDataStream(
                        onWallClock,
                        Schema.newBuilder()
                                .columnByExpression("rowtime", "CAST(local_time AS TIMESTAMP(3))")
                                .columnByExpression("proctime", "PROCTIME()")
                                .watermark("rowtime", "SOURCE_WATERMARK()")
                                .build());
        tableEnv.createTemporaryView(name, table);
    }

    private static DataStream<CountRow> counts(
            StreamTableEnvironment tableEnv,
            String query,
            HotspotConfig config,
            int dimensions,
            int measures,
            String name) {
        MapFunction<Row, CountRow> toCountRows =
                new SqlCountRows(config.zone(), dimensions, measures);
        return tableEnv.toDataStream(tableEnv.sqlQuery(query))
                .map(toCountRows)
                .name(name)
                .uid(name);
    }

    private static void sinkCounts(
            DataStream<CountRow> rows,
            String tablePrefix,
            List<String> dimensions,
            HotspotConfig config) {
        List<String> measures =
                tablePrefix.startsWith("ticket") ? TicketFacts.MEASURES : LeadFacts.MEASURES;
        for (Granularity g : Granularity.values()) {
            String table = tablePrefix + "_" + g.suffix();
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

    /** The SQL job's own consumer group unless one is given. */
    static String[] withDefaultGroupId(String[] argv) {
        for (String a : argv) {
            if (a.equals("--group-id") || a.startsWith("--group-id=")) {
                return argv;
            }
        }
        List<String> all = new ArrayList<>(Arrays.asList(argv));
        all.add("--group-id=citypulse-hotspot-sql");
        return all.toArray(new String[0]);
    }
}
