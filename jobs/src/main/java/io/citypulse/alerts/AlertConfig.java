package io.citypulse.alerts;

import io.citypulse.alerts.detector.DetectorSettings;
import io.citypulse.alerts.functions.AlertRules;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.MajorCategory;
import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.clickhouse.SinkOptions;
import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/** Everything {@link AlertJob} can be told, parsed once from arguments and environment. */
public record AlertConfig(
        KafkaSettings kafka,
        ClickHouseSettings clickHouse,
        SinkOptions sink,
        String ticketsTopic,
        String leadsTopic,
        String alertsTopic,
        String deadLetterTopic,
        String groupId,
        boolean bounded,
        Duration outOfOrderness,
        Duration idleness,
        Duration entityRetention,
        Duration maxFuture,
        AlertRules rules,
        int gateCacheKeys,
        int detectorCacheKeys,
        String flinkConfDir,
        Map<String, String> flinkSettings)
        implements Serializable {

    public static final String USAGE =
            String.join(
                    "\n",
                    "alerts: spike detection per major category, item and (category, district) on ticket and",
                    "        lead counts; alert lifecycle -> Kafka alerts, ClickHouse alerts and case_category_weekly",
                    "",
                    "Options (environment fallback in brackets):",
                    "  --bounded                    read what the topics hold now, flush, exit",
                    "  --bootstrap HOST:PORT        Kafka [KAFKA_BOOTSTRAP] (127.0.0.1:19092)",
                    "  --kafka-properties FILE      extra Kafka client properties, e.g. SASL/SSL [KAFKA_CLIENT_PROPERTIES]",
                    "                               SASL/SSL settings also from env KAFKA_<KEY> (key in capitals, _ for .),",
                    "                               e.g. KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_PASSWORD",
                    "  --no-topic-check             do not check at start-up that the Kafka topics exist",
                    "  --tickets-topic NAME         (tickets)",
                    "  --leads-topic NAME           (leads)",
                    "  --alerts-topic NAME          (alerts)",
                    "  --dead-letter-topic NAME     (dead-letters)",
                    "  --group-id ID                consumer group (citypulse-alerts)",
                    "  --clickhouse-url URL         ClickHouse HTTP [CLICKHOUSE_URL] (http://127.0.0.1:18123)",
                    "  --clickhouse-database DB     [CLICKHOUSE_DATABASE] (default)",
                    "  --clickhouse-user USER       [CLICKHOUSE_USER] (default); password only from",
                    "                               CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
                    "  --zone ZONE                  local clock of hours, days and weeks (Asia/Shanghai)",
                    "  --out-of-orderness DUR       watermark delay (1m); events behind the watermark -> dead letters LATE",
                    "  --idleness DUR               idle partition timeout (30s)",
                    "  --entity-retention DUR       dedup state kept after a ticket's or lead's last event (30d)",
                    "  --max-future DUR             event times further ahead are rejected (1d)",
                    "Detector:",
                    "  --p-open P                   open when P(X >= observed) <= P (1e-5)",
                    "  --p-stay P                   stay open while <= P (0.01)",
                    "  --min-count N                events a window needs to open an alert (8)",
                    "  --min-excess N               events above expectation it needs (6)",
                    "  --min-ratio X                multiple of expectation it needs (1.5)",
                    "  --stay-ratio X               multiple that keeps an alert open (1.2)",
                    "  --warmup DUR                 history a category needs before it is tested (1d)",
                    "Lifecycle:",
                    "  --update-every DUR           re-announce an open alert at most this often (1h)",
                    "  --resolve-after DUR          resolve after back to normal this long (1h)",
                    "  --escalate-after DUR         case-category treatment after elevated this long (24h)",
                    "  --escalate-days N            ... or after elevated on N of the last 7 days (3)",
                    "  --concentration X            a child alert under an open category alert needs X times",
                    "                               the category's ratio to expectation (1.5)",
                    "  --emit-evaluations           log every series' verdict at every step (tuning; verbose)",
                    "  --gate-cache-keys N          tickets/leads whose dedup state stays on the heap between checkpoints,",
                    "                               per gate subtask (50000; 0: every event reads and writes RocksDB)",
                    "  --detector-cache-keys N      major categories whose detector state stays decoded on the heap",
                    "                               between checkpoints, per subtask (64; 0: decoded and encoded every step)",
                    "  --sink-batch-rows N          (50000)   --sink-flush-interval DUR (2s)",
                    "  --sink-max-attempts N        (6)       --sink-initial-backoff DUR (500ms)",
                    "  --sink-text-inserts          send rows as INSERT ... VALUES text, not RowBinary",
                    "  --flink-conf-dir DIR         Flink config.yaml for a local run (cluster: its own)",
                    "  -Dkey=value                  any Flink setting, e.g. -Dparallelism.default=2");

    public static AlertConfig from(Args args) {
        ZoneId zone = zone(args.string("zone", "Asia/Shanghai"));
        DetectorSettings d = DetectorSettings.DEFAULTS;
        Duration warmup = args.duration("warmup", Duration.ofHours(d.warmupHours()));
        DetectorSettings detector =
                new DetectorSettings(
                        args.decimal("p-open", d.pOpen()),
                        args.decimal("p-stay", d.pStay()),
                        args.integer("min-count", (int) d.minCount()),
                        args.decimal("min-excess", d.minExcess()),
                        args.decimal("min-ratio", d.minRatio()),
                        args.decimal("stay-ratio", d.stayRatio()),
                        d.priorStrength(),
                        d.dayWeight(),
                        d.weekAlpha(),
                        d.dayAlpha(),
                        d.clipSd(),
                        d.dispersionPrior(),
                        (int) Math.max(1, warmup.toHours()));
        AlertRules rules =
                new AlertRules(
                        detector,
                        zone,
                        args.duration("update-every", Duration.ofHours(1)),
                        args.duration("resolve-after", Duration.ofHours(1)),
                        args.duration("escalate-after", Duration.ofHours(24)),
                        args.integer("escalate-days", 3),
                        args.decimal("concentration", 1.5),
                        majorNamesZh(),
                        args.flag("emit-evaluations"));
        AlertConfig config =
                new AlertConfig(
                        KafkaSettings.from(args),
                        ClickHouseSettings.from(args),
                        SinkOptions.from(args),
                        args.string("tickets-topic", "tickets"),
                        args.string("leads-topic", "leads"),
                        args.string("alerts-topic", "alerts"),
                        args.string("dead-letter-topic", "dead-letters"),
                        args.string("group-id", "citypulse-alerts"),
                        args.flag("bounded"),
                        args.duration("out-of-orderness", Duration.ofMinutes(1)),
                        args.duration("idleness", Duration.ofSeconds(30)),
                        args.duration("entity-retention", Duration.ofDays(30)),
                        args.duration("max-future", Duration.ofDays(1)),
                        rules,
                        args.cacheKeys("gate-cache-keys", 50_000),
                        args.cacheKeys("detector-cache-keys", 64),
                        args.string("flink-conf-dir", null),
                        Map.copyOf(args.flinkSettings()));
        args.rejectUnknown();
        return config;
    }

    public ZoneId zone() {
        return rules.zone();
    }

    static Map<String, String> majorNamesZh() {
        Map<String, String> names = new HashMap<>();
        for (MajorCategory m : Catalogue.load().majorCategories()) {
            names.put(m.code(), m.nameZh());
        }
        return names;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--zone: unknown time zone '" + id + "'");
        }
    }

    /**
     * The Kafka topics the job reads and writes, each after the option that names it, for {@link
     * io.citypulse.kafka.KafkaTopics#requireExisting}.
     */
    public String[] topicsByOption() {
        return new String[] {
            "--tickets-topic",
            ticketsTopic,
            "--leads-topic",
            leadsTopic,
            "--alerts-topic",
            alertsTopic,
            "--dead-letter-topic",
            deadLetterTopic
        };
    }
}
