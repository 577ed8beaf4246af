import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Waits until a Kafka cluster answers, then creates the topics that are missing.
 *
 * <p>Used by {@code scripts/stack up}: one JVM does the readiness check and all topic creations,
 * which is several seconds faster than one {@code TopicCommand} run per topic. Existing topics are
 * left as they are (partition counts are not changed). Replication uses the broker's default, so
 * the same call is right for the one-node local broker and for a real cluster.
 *
 * <pre>
 * java -cp '.local/kafka/lib/*:.local/kafka/classes' EnsureTopics \
 *     --bootstrap 127.0.0.1:19092 [--timeout-seconds 30] tickets:4 leads:4 alerts:1
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 cluster not reachable in time or creation failed, 2 bad arguments.
 */
public final class EnsureTopics {

  private EnsureTopics() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = null;
    long timeoutSeconds = 30;
    Map<String, Integer> wanted = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = value(args, ++i);
        case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(value(args, ++i));
        default -> {
          String[] spec = args[i].split(":", 2);
          if (spec[0].isEmpty() || spec.length != 2) {
            usage("expected TOPIC:PARTITIONS, got '" + args[i] + "'");
          }
          wanted.put(spec[0], Integer.parseInt(spec[1]));
        }
      }
    }
    if (bootstrap == null) {
      usage("--bootstrap is required");
    }

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "citypulse-stack");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");

    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    try (Admin admin = Admin.create(props)) {
      int brokers = awaitCluster(admin, bootstrap, deadline);
      Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      wanted.forEach(
          (name, partitions) -> {
            if (!existing.contains(name)) {
              missing.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
            }
          });
      List<String> created = new ArrayList<>();
      if (!missing.isEmpty()) {
        CreateTopicsResult result = admin.createTopics(missing);
        for (NewTopic topic : missing) {
          try {
            result.values().get(topic.name()).get(30, TimeUnit.SECONDS);
            created.add(topic.name() + "(" + topic.numPartitions() + ")");
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              System.err.println(
                  "error: cannot create topic " + topic.name() + ": " + e.getCause().getMessage());
              System.exit(1);
            }
          }
        }
      }
      System.out.println(
          "kafka "
              + bootstrap
              + ": "
              + brokers
              + " broker(s); topics created: "
              + (created.isEmpty() ? "none" : String.join(" ", created))
              + "; already present: "
              + (wanted.size() - created.size()));
    }
  }

  /** Retries describeCluster until it answers or the deadline passes; returns the broker count. */
  private static int awaitCluster(Admin admin, String bootstrap, Instant deadline)
      throws InterruptedException {
    Throwable last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        return admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
            .nodes()
            .get(5, TimeUnit.SECONDS)
            .size();
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        last = e instanceof ExecutionException ? e.getCause() : e;
        Thread.sleep(Duration.ofMillis(250).toMillis());
      }
    }
    System.err.println(
        "error: Kafka at "
            + bootstrap
            + " did not answer in time"
            + (last == null ? "" : " (" + last.getClass().getSimpleName() + ": " + last.getMessage() + ")"));
    System.exit(1);
    return -1;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage("missing value after " + args[i - 1]);
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("error: " + problem);
    System.err.println(
        "usage: EnsureTopics --bootstrap HOST:PORT[,...] [--timeout-seconds N] TOPIC:PARTITIONS...");
    System.exit(2);
  }
}
