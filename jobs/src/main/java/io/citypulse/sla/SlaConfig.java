package io.citypulse.sla;

import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.clickhouse.SinkOptions;
import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import io.citypulse.sla.records.SlaKind;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Everything {@link SlaJob} can be told, parsed once from arguments and environment. */
public record SlaConfig(
        KafkaSettings kafka,
        ClickHouseSettings clickHouse,
        SinkOptions sink,
        String ticketsTopic,
        String deadLetterTopic,
        String groupId,
        boolean bounded,
        Duration outOfOrderness,
        Duration idleness,
        Duration maxFuture,
        ZoneId zone,
        SlaLimits limits,
        Set<SlaKind> slaKinds,
        Duration closedGrace,
        Duration maxTicketAge,
        Duration agencyEmitInterval,
        int ticketCacheKeys,
        int agencyCacheKeys,
        String flinkConfDir,
        Map<String, String> flinkSettings)
        implements Serializable {

    public static final String USAGE =
            String.join(
                    "\n",
                    "sla: dispatch and resolution deadlines per ticket -> ClickHouse sla_breaches;",
                    "     agency performance per day -> ClickHouse agency_daily",
                    "",
                    "Options (environment fallback in brackets):",
                    "  --bounded                    read what the topics hold now, flush, exit; deadlines",
                    "                               after the last event time read are not breaches",
                    "  --bootstrap HOST:PORT        Kafka [KAFKA_BOOTSTRAP] (127.0.0.1:19092)",
                    "  --kafka-properties FILE      extra Kafka client properties, e.g. SASL/SSL [KAFKA_CLIENT_PROPERTIES]",
                    "                               SASL/SSL settings also from env KAFKA_<KEY> (key in capitals, _ for .),",
                    "                               e.g. KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_PASSWORD",
                    "  --no-topic-check             do not check at start-up that the Kafka topics exist",
                    "  --tickets-topic NAME         (tickets)",
                    "  --dead-letter-topic NAME     (dead-letters)",
                    "  --group-id ID                consumer group (citypulse-sla)",
                    "  --clickhouse-url URL         ClickHouse HTTP [CLICKHOUSE_URL] (http://127.0.0.1:18123)",
                    "  --clickhouse-database DB     [CLICKHOUSE_DATABASE] (default)",
                    "  --clickhouse-user USER       [CLICKHOUSE_USER] (default); password only from",
                    "                               CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
                    "  --sla-limits FILE            SLA limits (properties) read on top of the shipped",
                    "                               io/citypulse/sla/sla-limits.properties",
                    "  --sla-kinds LIST             promises to track: DISPATCH,RESOLUTION (both); an export",
                    "                               without dispatch times should track RESOLUTION only",
                    "  --zone ZONE                  time zone of agency_daily's days (Asia/Shanghai)",
                    "  --closed-grace DUR           keep a resolved ticket this long for a REOPENED (7d)",
                    "  --max-ticket-age DUR         stop tracking a ticket this long after creation;",
                    "                               open ones are written ABANDONED (30d)",
                    "  --agency-emit-interval DUR   agency_daily rows at most this often per agency/day,",
                    "                               in event time (5m)",
                    "  --ticket-cache-keys N        tickets whose state stays on the heap between checkpoints,",
                    "                               per subtask (200000; 0: every access reads and writes RocksDB)",
                    "  --agency-cache-keys N        agency days whose aggregate and waiting contributions",
                    "                               stay on the heap between checkpoints, per subtask (1000;",
                    "                               0: read and written at every tick)",
                    "  --out-of-orderness DUR       watermark delay (1m); later events are applied late",
                    "  --idleness DUR               idle partition timeout (30s)",
                    "  --max-future DUR             event times further ahead are rejected (1d)",
                    "  --sink-batch-rows N          (50000)   --sink-flush-interval DUR (2s)",
                    "  --sink-max-attempts N        (6)       --sink-initial-backoff DUR (500ms)",
                    "  --sink-text-inserts          send rows as INSERT ... VALUES text, not RowBinary",
                    "  --flink-conf-dir DIR         Flink config.yaml for a local run (cluster: its own)",
                    "  -Dkey=value                  any Flink setting, e.g. -Dparallelism.default=2");

    public static SlaConfig from(Args args) {
        String zoneName = args.string("zone", "Asia/Shanghai");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone: unknown time zone '" + zoneName + "'");
        }
        SlaConfig config =
                new SlaConfig(
                        KafkaSettings.from(args),
                        ClickHouseSettings.from(args),
                        SinkOptions.from(args),
                        args.string("tickets-topic", "tickets"),
                        args.string("dead-letter-topic", "dead-letters"),
                        args.string("group-id", "citypulse-sla"),
                        args.flag("bounded"),
                        args.duration("out-of-orderness", Duration.ofMinutes(1)),
                        args.duration("idleness", Duration.ofSeconds(30)),
                        args.duration("max-future", Duration.ofDays(1)),
                        zone,
                        SlaLimits.load(args.string("sla-limits", null)),
                        kinds(args.string("sla-kinds", "DISPATCH,RESOLUTION")),
                        args.duration("closed-grace", Duration.ofDays(7)),
                        args.duration("max-ticket-age", Duration.ofDays(30)),
                        args.duration("agency-emit-interval", Duration.ofMinutes(5)),
                        args.cacheKeys("ticket-cache-keys", 200_000),
                        args.cacheKeys("agency-cache-keys", 1_000),
                        args.string("flink-conf-dir", null),
                        Map.copyOf(args.flinkSettings()));
        args.rejectUnknown();
        if (config.maxTicketAge.isZero()) {
            throw new IllegalArgumentException("--max-ticket-age must be positive");
        }
        if (config.agencyEmitInterval.isZero()) {
            throw new IllegalArgumentException("--agency-emit-interval must be positive");
        }
        return config;
    }

    private static Set<SlaKind> kinds(String list) {
        Set<SlaKind> kinds = EnumSet.noneOf(SlaKind.class);
        for (String name : list.split(",")) {
            try {
                kinds.add(SlaKind.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--sla-kinds: '" + name.strip() + "' is not DISPATCH or RESOLUTION");
            }
        }
        return Set.copyOf(kinds);
    }

    /**
     * How long an agency's day can still change after it ends: its tickets are tracked up to the
     * maximum age after creation, plus the grace period, plus a day for late events.
     */
    public Duration agencyDayRetention() {
        return maxTicketAge.plus(closedGrace).plusDays(1);
    }

    /**
     * The Kafka topics the job reads and writes, each after the option that names it, for {@link
     * io.citypulse.kafka.KafkaTopics#requireExisting}.
     */
    public String[] topicsByOption() {
        return new String[] {
            "--tickets-topic", ticketsTopic, "--dead-letter-topic", deadLetterTopic
        };
    }
}
