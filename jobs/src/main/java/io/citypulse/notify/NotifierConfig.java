package io.citypulse.notify;

import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link NotifierJob} can be told, parsed once from arguments and environment. The
 * subscribers (with their secrets, from files or environment variables) are read and validated
 * here, at startup; {@link #toString()} shows no secret.
 */
public record NotifierConfig(
        KafkaSettings kafka,
        String alertsTopic,
        String groupId,
        boolean bounded,
        Path subscriptionsFile,
        List<Subscriber> subscribers,
        String deliveriesTopic,
        String failuresTopic,
        String deadLetterTopic,
        DeliverySettings delivery,
        ZoneId zone,
        String flinkConfDir,
        Map<String, String> flinkSettings)
        implements Serializable {

    public static final String USAGE =
            String.join(
                    "\n",
                    "notifier: alerts from Kafka -> HTTP webhooks, WeCom and DingTalk group robots",
                    "          (signed, retried with backoff; failures -> Kafka notify-failures)",
                    "",
                    "Options (environment fallback in brackets):",
                    "  --bounded                    read what the topic holds now, deliver, exit",
                    "  --bootstrap HOST:PORT        Kafka [KAFKA_BOOTSTRAP] (127.0.0.1:19092)",
                    "  --kafka-properties FILE      extra Kafka client properties, e.g. SASL/SSL [KAFKA_CLIENT_PROPERTIES]",
                    "                               SASL/SSL settings also from env KAFKA_<KEY> (key in capitals, _ for .),",
                    "                               e.g. KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_PASSWORD",
                    "  --no-topic-check             do not check at start-up that the Kafka topics exist",
                    "  --alerts-topic NAME          (alerts)",
                    "  --group-id ID                consumer group (citypulse-notifier)",
                    "  --subscriptions FILE         subscribers, their filters and secrets (YAML; required)",
                    "                               [CITYPULSE_SUBSCRIPTIONS]; see scripts/conf/subscriptions.example.yaml",
                    "  --deliveries-topic NAME      successful deliveries, JSON lines (notify-deliveries)",
                    "  --failures-topic NAME        deliveries given up on, JSON lines (notify-failures)",
                    "  --dead-letter-topic NAME     undecodable alert records (dead-letters)",
                    "  --max-attempts N             attempts per delivery, the first included (8)",
                    "  --initial-backoff DUR        first retry waits up to this long (1s); doubles per retry,",
                    "  --max-backoff DUR            up to this cap (5m); full jitter; caps Retry-After too",
                    "  --request-timeout DUR        one attempt, connect to last response byte (10s)",
                    "  --per-endpoint-concurrency N requests in flight per endpoint host:port+path (4)",
                    "  --async-capacity N           deliveries in flight per subtask (100)",
                    "  --zone ZONE                  clock for times in WeCom/DingTalk messages (Asia/Shanghai)",
                    "  --flink-conf-dir DIR         Flink config.yaml for a local run (cluster: its own)",
                    "  -Dkey=value                  any Flink setting, e.g. -Dparallelism.default=2");

    public static NotifierConfig from(Args args) {
        return from(args, System.getenv());
    }

    /**
     * As {@link #from(Args)}, with the environment that {@code secretEnv} entries are read from.
     */
    public static NotifierConfig from(Args args, Map<String, String> env) {
        String file = args.string("subscriptions", "CITYPULSE_SUBSCRIPTIONS", null);
        KafkaSettings kafka = KafkaSettings.from(args);
        String alertsTopic = args.string("alerts-topic", "alerts");
        String groupId = args.string("group-id", "citypulse-notifier");
        boolean bounded = args.flag("bounded");
        String deliveriesTopic = args.string("deliveries-topic", "notify-deliveries");
        String failuresTopic = args.string("failures-topic", "notify-failures");
        String deadLetterTopic = args.string("dead-letter-topic", "dead-letters");
        DeliverySettings delivery =
                new DeliverySettings(
                        args.integer("max-attempts", 8),
                        args.duration("initial-backoff", Duration.ofSeconds(1)),
                        args.duration("max-backoff", Duration.ofMinutes(5)),
                        args.duration("request-timeout", Duration.ofSeconds(10)),
                        args.integer("per-endpoint-concurrency", 4),
                        args.integer("async-capacity", 100));
        ZoneId zone = zone(args.string("zone", "Asia/Shanghai"));
        String flinkConfDir = args.string("flink-conf-dir", null);
        Map<String, String> flinkSettings = Map.copyOf(args.flinkSettings());
        args.rejectUnknown();
        if (file == null) {
            throw new IllegalArgumentException(
                    "--subscriptions FILE is required (who gets the alerts); see"
                            + " scripts/conf/subscriptions.example.yaml");
        }
        Path path = Path.of(file);
        return new NotifierConfig(
                kafka,
                alertsTopic,
                groupId,
                bounded,
                path,
                Subscriptions.load(path, env),
                deliveriesTopic,
                failuresTopic,
                deadLetterTopic,
                delivery,
                zone,
                flinkConfDir,
                flinkSettings);
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
            "--alerts-topic",
            alertsTopic,
            "--deliveries-topic",
            deliveriesTopic,
            "--failures-topic",
            failuresTopic,
            "--dead-letter-topic",
            deadLetterTopic
        };
    }
}
