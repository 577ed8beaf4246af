package io.citypulse.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A check a job's {@code main} makes before it submits anything: do the topics it reads and writes
 * exist? Without it a misspelt or missing topic shows late and badly: a bounded replay of a missing
 * topic finishes at once having read nothing, an unbounded source waits for it forever, and a sink
 * fails only when its first record is due, after restarts, with "Topic ... not present in
 * metadata".
 */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    /** How long the check waits for the cluster before it gives up (with a warning). */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {}

    /**
     * Fails with one message naming every missing topic and its option if any of the topics does
     * not exist; {@code optionsAndTopics} alternates an option's name (e.g. {@code
     * --tickets-topic}) and the topic it names. A topic the check cannot see for another reason
     * (the cluster does not answer in time, no permission to describe it) is only logged as a
     * warning: the job then finds out for itself. Does nothing if the settings say not to check
     * ({@code --no-topic-check}).
     */
    public static void requireExisting(KafkaSettings kafka, String... optionsAndTopics) {
        if (optionsAndTopics.length % 2 != 0) {
            throw new IllegalArgumentException("option and topic pairs expected");
        }
        if (!kafka.checkTopics()) {
            LOG.info("not checking that the Kafka topics exist (--no-topic-check)");
            return;
        }
        Map<String, String> topics = new LinkedHashMap<>();
        for (int i = 0; i < optionsAndTopics.length; i += 2) {
            topics.put(optionsAndTopics[i], optionsAndTopics[i + 1]);
        }
        List<String> missing = new ArrayList<>();
        Properties p = new Properties();
        p.putAll(kafka.properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Admin admin = Admin.create(p);
        try {
            Map<String, KafkaFuture<TopicDescription>> described =
                    admin.describeTopics(topics.values().stream().distinct().toList())
                            .topicNameValues();
            for (Map.Entry<String, String> t : topics.entrySet()) {
                String problem = problem(described.get(t.getValue()));
                if ("missing".equals(problem)) {
                    missing.add("'" + t.getValue() + "' (" + t.getKey() + ")");
                } else if (problem != null) {
                    LOG.warn(
                            "could not check that Kafka topic '{}' ({}) exists on {}: {}",
                            t.getValue(),
                            t.getKey(),
                            kafka.bootstrapServers(),
                            problem);
                }
            }
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "Kafka topic"
                            + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing)
                            + (missing.size() == 1 ? " does" : " do")
                            + " not exist on "
                            + kafka.bootstrapServers()
                            + ": create "
                            + (missing.size() == 1 ? "it" : "them")
                            + " (scripts/stack up creates the default topics) or name existing"
                            + " ones with the option(s) shown");
        }
    }

    /** Null if the topic exists, "missing" if it does not, else what stopped the check. */
    private static String problem(KafkaFuture<TopicDescription> description) {
        try {
            description.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof UnknownTopicOrPartitionException
                    ? "missing"
                    : String.valueOf(e.getCause());
        } catch (TimeoutException e) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
