package io.citypulse.hotspot;

import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.clickhouse.SinkOptions;
import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/** Everything {@link HotspotJob} can be told, parsed once from arguments and environment. */
public record HotspotConfig(
        KafkaSettings kafka,
        ClickHouseSettings clickHouse,
        SinkOptions sink,
        String ticketsTopic,
        String deadLetterTopic,
        String groupId,
        boolean bounded,
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration maxFuture,
        String flinkConfDir,
        Map<String, String> flinkSettings)
        implements Serializable {

    public static final String USAGE =
            String.join(
                    "\n",
                    "hotspot: 5-minute counts of CREATED tickets by category and district -> ClickHouse ticket_counts_5m",
                    "",
                    "Options (environment fallback in brackets):",
                    "  --bounded                    read what the topics hold now, flush, exit",
                    "  --bootstrap HOST:PORT        Kafka [KAFKA_BOOTSTRAP] (127.0.0.1:19092)",
                    "  --kafka-properties FILE      extra Kafka client properties, e.g. SASL/SSL [KAFKA_CLIENT_PROPERTIES]",
                    "  --tickets-topic NAME         (tickets)",
                    "  --dead-letter-topic NAME     (dead-letters)",
                    "  --group-id ID                consumer group (citypulse-hotspot)",
                    "  --clickhouse-url URL         ClickHouse HTTP [CLICKHOUSE_URL] (http://127.0.0.1:18123)",
                    "  --clickhouse-database DB     [CLICKHOUSE_DATABASE] (default)",
                    "  --clickhouse-user USER       [CLICKHOUSE_USER] (default); password only from",
                    "                               CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
                    "  --out-of-orderness DUR       watermark delay (1m)",
                    "  --idleness DUR               idle partition timeout (30s)",
                    "  --allowed-lateness DUR       late events still update windows (0s); later ones -> dead letters LATE",
                    "  --max-future DUR             event times further ahead are rejected (1d)",
                    "  --sink-batch-rows N          (10000)   --sink-flush-interval DUR (2s)",
                    "  --sink-max-attempts N        (6)       --sink-initial-backoff DUR (500ms)",
                    "  --flink-conf-dir DIR         Flink config.yaml for a local run (cluster: its own)",
                    "  -Dkey=value                  any Flink setting, e.g. -Dparallelism.default=2");

    public static HotspotConfig from(Args args) {
        HotspotConfig config =
                new HotspotConfig(
                        KafkaSettings.from(args),
                        ClickHouseSettings.from(args),
                        SinkOptions.from(args),
                        args.string("tickets-topic", "tickets"),
                        args.string("dead-letter-topic", "dead-letters"),
                        args.string("group-id", "citypulse-hotspot"),
                        args.flag("bounded"),
                        args.duration("out-of-orderness", Duration.ofMinutes(1)),
                        args.duration("idleness", Duration.ofSeconds(30)),
                        args.duration("allowed-lateness", Duration.ZERO),
                        args.duration("max-future", Duration.ofDays(1)),
                        args.string("flink-conf-dir", null),
                        Map.copyOf(args.flinkSettings()));
        args.rejectUnknown();
        return config;
    }
}
