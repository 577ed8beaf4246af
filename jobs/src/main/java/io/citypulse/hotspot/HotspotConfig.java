package io.citypulse.hotspot;

import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.clickhouse.SinkOptions;
import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Everything {@link HotspotJob} can be told, parsed once from arguments and environment. */
public record HotspotConfig(
        KafkaSettings kafka,
        ClickHouseSettings clickHouse,
        SinkOptions sink,
        String ticketsTopic,
        String leadsTopic,
        String deadLetterTopic,
        String groupId,
        boolean bounded,
        ZoneId zone,
        Duration outOfOrderness,
        Duration idleness,
        Duration allowedLateness,
        Duration partialEvery,
        Duration entityRetention,
        Duration maxFuture,
        Set<String> knownCodes,
        int topN,
        long minVolume,
        int counterCacheKeys,
        int gateCacheKeys,
        String flinkConfDir,
        Map<String, String> flinkSettings)
        implements Serializable {

    public static final String USAGE =
            String.join(
                    "\n",
                    "hotspot: ticket and lead counts by category, item, district, agency, channel and platform",
                    "         in 5-minute, hourly and daily windows, plus the hourly hotspot ranking -> ClickHouse",
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
                    "  --dead-letter-topic NAME     (dead-letters)",
                    "  --group-id ID                consumer group (citypulse-hotspot)",
                    "  --clickhouse-url URL         ClickHouse HTTP [CLICKHOUSE_URL] (http://127.0.0.1:18123)",
                    "  --clickhouse-database DB     [CLICKHOUSE_DATABASE] (default)",
                    "  --clickhouse-user USER       [CLICKHOUSE_USER] (default); password only from",
                    "                               CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
                    "  --zone ZONE                  local clock for hours and days (Asia/Shanghai)",
                    "  --out-of-orderness DUR       watermark delay (1m)",
                    "  --idleness DUR               idle partition timeout (30s)",
                    "  --allowed-lateness DUR       late events still update their windows (1h); later ones -> dead letters LATE",
                    "  --partial-every DUR          live partial results of open windows (10s; 0s: off)",
                    "  --entity-retention DUR       dedup/lifecycle state kept after a ticket's or lead's last event (30d)",
                    "  --max-future DUR             event times further ahead are rejected (1d)",
                    "  --catalogue builtin|none|FILE  codes outside the catalogue are rejected UNKNOWN_CODE (builtin)",
                    "  --top-n N                    hotspots per list (10)",
                    "  --min-volume N               hotspots need at least N tickets in the hour (3)",
                    "  --counter-cache-keys N       keys whose window counts stay on the heap between checkpoints,",
                    "                               per counting subtask (20000; 0: every event reads and writes RocksDB)",
                    "  --gate-cache-keys N          tickets/leads whose dedup state stays on the heap between checkpoints,",
                    "                               per gate subtask (50000; 0: every event reads and writes RocksDB)",
                    "  --sink-batch-rows N          (50000)   --sink-flush-interval DUR (2s)",
                    "  --sink-max-attempts N        (6)       --sink-initial-backoff DUR (500ms)",
                    "  --sink-text-inserts          send rows as INSERT ... VALUES text, not RowBinary",
                    "  --flink-conf-dir DIR         Flink config.yaml for a local run (cluster: its own)",
                    "  -Dkey=value                  any Flink setting, e.g. -Dparallelism.default=2");

    public static HotspotConfig from(Args args) {
        HotspotConfig config =
                new HotspotConfig(
                        KafkaSettings.from(args),
                        ClickHouseSettings.from(args),
                        SinkOptions.from(args),
                        args.string("tickets-topic", "tickets"),
                        args.string("leads-topic", "leads"),
                        args.string("dead-letter-topic", "dead-letters"),
                        args.string("group-id", "citypulse-hotspot"),
                        args.flag("bounded"),
                        zone(args.string("zone", "Asia/Shanghai")),
                        args.duration("out-of-orderness", Duration.ofMinutes(1)),
                        args.duration("idleness", Duration.ofSeconds(30)),
                        args.duration("allowed-lateness", Duration.ofHours(1)),
                        args.duration("partial-every", Duration.ofSeconds(10)),
                        args.duration("entity-retention", Duration.ofDays(30)),
                        args.duration("max-future", Duration.ofDays(1)),
                        knownCodes(args.string("catalogue", "builtin")),
                        args.integer("top-n", 10),
                        args.integer("min-volume", 3),
                        args.cacheKeys("counter-cache-keys", 20_000),
                        args.cacheKeys("gate-cache-keys", 50_000),
                        args.string("flink-conf-dir", null),
                        Map.copyOf(args.flinkSettings()));
        args.rejectUnknown();
        return config;
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--zone: unknown time zone '" + id + "'");
        }
    }

    /**
     * The catalogue codes to accept, or null to accept any code: {@code builtin} (the catalogue in
     * the jar), {@code none}, or a file whose first comma-separated column holds the codes (a
     * header line starting with {@code code} is skipped), e.g. a city's own catalogue export.
     */
    static Set<String> knownCodes(String catalogue) {
        if (catalogue.equals("none")) {
            return null;
        }
        if (catalogue.equals("builtin")) {
            return Catalogue.load().items().stream()
                    .map(CatalogueItem::code)
                    .collect(Collectors.toUnmodifiableSet());
        }
        try (Stream<String> lines = Files.lines(Path.of(catalogue))) {
            Set<String> codes =
                    lines.map(l -> l.split(",", 2)[0].strip())
                            .filter(c -> !c.isEmpty() && !c.startsWith("#") && !c.equals("code"))
                            .collect(Collectors.toUnmodifiableSet());
            if (codes.isEmpty()) {
                throw new IllegalArgumentException("--catalogue: no codes in " + catalogue);
            }
            return codes;
        } catch (IOException e) {
            throw new IllegalArgumentException("--catalogue: cannot read " + catalogue, e);
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
            "--dead-letter-topic",
            deadLetterTopic
        };
    }
}
