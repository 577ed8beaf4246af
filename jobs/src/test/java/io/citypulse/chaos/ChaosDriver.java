package io.citypulse.chaos;

import io.citypulse.common.Args;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The Java side of {@code scripts/chaos}: {@code produce} (the drill's input, paced, optionally
 * with malformed records), {@code receiver} (the idempotent webhook receiver), {@code lag} (how
 * much of the input a consumer group has committed) and {@code check} (the verdict against the
 * oracle). Exit status: 0 done / pass, 1 fail, 2 usage error.
 */
public final class ChaosDriver {

    private ChaosDriver() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: ChaosDriver produce|receiver|lag|check [options]");
            System.exit(2);
        }
        Args args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length), System.getenv());
        String bootstrap = args.string("bootstrap", "KAFKA_BOOTSTRAP", "127.0.0.1:19092");
        switch (argv[0]) {
            case "produce" ->
                    DrillProducer.run(
                            Path.of(args.string("jsonl", null)),
                            bootstrap,
                            args.string("tickets-topic", null),
                            args.string("leads-topic", null),
                            args.duration("duration", Duration.ofSeconds(90)),
                            args.integer("malformed-every", 0),
                            Path.of(args.string("summary", null)));
            case "receiver" ->
                    DrillReceiver.run(args.integer("port", 0), Path.of(args.string("log", null)));
            case "lag" -> System.exit(lag(bootstrap, args) ? 0 : 1);
            case "check" -> System.exit(check(bootstrap, args) ? 0 : 1);
            default -> {
                System.err.println("unknown command " + argv[0]);
                System.exit(2);
            }
        }
    }

    /**
     * Prints "committed end" summed over the topics' partitions for the group; true when the group
     * has committed every partition up to its end (Flink commits on each completed checkpoint, so
     * this is "everything the topics hold is in a checkpoint").
     */
    private static boolean lag(String bootstrap, Args args) throws Exception {
        String group = args.string("group", null);
        List<String> topics = List.of(args.string("topics", null).split(","));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions()
                        .forEach(
                                i ->
                                        request.put(
                                                new TopicPartition(d.name(), i.partition()),
                                                OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(request).all().get();
            long c = 0;
            long e = 0;
            boolean done = true;
            for (var entry : ends.entrySet()) {
                long end = entry.getValue().offset();
                OffsetAndMetadata m = committed.get(entry.getKey());
                long at = m == null ? 0 : m.offset();
                c += at;
                e += end;
                done &= at >= end;
            }
            System.out.println(c + " " + e);
            return done;
        }
    }

    private static boolean check(String bootstrap, Args args) throws Exception {
        Set<String> jobs = new LinkedHashSet<>(List.of(args.string("jobs", "hotspot").split(",")));
        DrillCheck.Options options =
                new DrillCheck.Options(
                        Path.of(args.string("jsonl", null)),
                        Path.of(args.string("summary", null)),
                        args.string("clickhouse-url", "CLICKHOUSE_URL", "http://127.0.0.1:18123"),
                        args.string("clickhouse-database", "default"),
                        bootstrap,
                        jobs,
                        args.string("tickets-topic", "tickets"),
                        args.string("leads-topic", "leads"),
                        args.string("alerts-topic", "alerts"),
                        args.string("dead-letter-topic", "dead-letters"),
                        args.string("failures-topic", "notify-failures"),
                        Path.of(args.string("receiver-log", "/dev/null")),
                        args.string("surge-category", "WATER"),
                        Long.parseLong(args.string("surge-start", "0")),
                        args.duration("wait", Duration.ofMinutes(2)));
        List<DrillCheck.Section> sections = new DrillCheck(options).await();
        System.out.print(DrillCheck.print(sections));
        String json = args.string("json", null);
        if (json != null) {
            Files.writeString(Path.of(json), DrillCheck.toJson(DrillCheck.report(sections)));
        }
        return sections.stream().allMatch(DrillCheck.Section::pass);
    }
}
