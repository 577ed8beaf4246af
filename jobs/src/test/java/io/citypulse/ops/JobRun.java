package io.citypulse.ops;

import io.citypulse.testutils.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A job's real {@code main} running in its own thread on a test MiniCluster (its context
 * environment), for upgrade tests: start it, wait until it has consumed its topics, stop it with a
 * savepoint, and ask afterwards which savepoint it was restored from.
 *
 * @param name the job, for messages
 * @param group the job's Kafka consumer group (from its {@code --group-id} argument)
 * @param id the Flink job
 * @param main the thread running {@code main}; completes when the job ends
 */
record JobRun(String name, String group, JobID id, CompletableFuture<Void> main) {

    /**
     * The MiniCluster the upgrade tests run their jobs on: one TaskManager with 4 slots (the old
     * and the new build, or a reference run, side by side) and managed memory for RocksDB.
     */
    static MiniClusterExtension miniCluster() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m"));
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(4)
                        .build());
    }

    /** A job's {@code main}. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** HotspotJob's or SlaJob's ({@code job}: {@code hotspot} or {@code sla}) real main. */
    static JobRun startHotspotOrSla(ClusterClient<?> client, String job, List<String> args)
            throws Exception {
        return start(
                client,
                job,
                job.equals("hotspot")
                        ? io.citypulse.hotspot.HotspotJob::main
                        : io.citypulse.sla.SlaJob::main,
                args);
    }

    /** Starts {@code main(args)} and waits until its job is RUNNING on the cluster. */
    static JobRun start(ClusterClient<?> client, String name, Main job, List<String> args)
            throws Exception {
        Set<JobID> before =
                client.listJobs().get().stream()
                        .map(JobStatusMessage::getJobId)
                        .collect(Collectors.toSet());
        String[] argv = args.toArray(String[]::new);
        CompletableFuture<Void> main =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                job.run(argv);
                            } catch (Exception e) {
                                throw new IllegalStateException(name + " failed", e);
                            }
                        });
        String group = args.get(args.indexOf("--group-id") + 1);
        JobRun[] started = new JobRun[1];
        Poll.until(
                Duration.ofSeconds(120),
                Duration.ofMillis(200),
                name + " running",
                () -> {
                    for (JobStatusMessage m : client.listJobs().get()) {
                        if (!before.contains(m.getJobId())
                                && m.getJobState() == JobStatus.RUNNING) {
                            started[0] = new JobRun(name, group, m.getJobId(), main);
                            return true;
                        }
                    }
                    if (main.isDone()) {
                        main.join();
                        throw new AssertionError(name + " ended before running");
                    }
                    return false;
                });
        return started[0];
    }

    /**
     * Stops the job with a savepoint into {@code dir} and waits for {@code main} to return. Without
     * drain the job keeps exactly the state at the barrier (an upgrade); with drain it first sends
     * the final watermark (end of input).
     */
    String stop(ClusterClient<?> client, Path dir, boolean drain) throws Exception {
        String path =
                client.stopWithSavepoint(
                                id, drain, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        main.get(120, TimeUnit.SECONDS);
        return path;
    }

    /**
     * Waits until the group's offsets, committed when a checkpoint completes, reach the end of
     * every partition of {@code topics}: every record is then in the state of a completed
     * checkpoint, past every operator.
     */
    void awaitCaughtUp(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, Long> end = ends(admin, topics);
            Poll.until(
                    Duration.ofSeconds(180),
                    Duration.ofMillis(250),
                    () -> "group " + group + " caught up: " + committed(admin) + " of " + end,
                    () -> caughtUp(admin, end));
        }
    }

    /** The group's committed offsets, for a failure message. */
    private Object committed(Admin admin) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            return "(offsets not readable: " + e + ")";
        }
    }

    /**
     * Whether the group's committed offsets reach the end of every partition of {@code topics} now:
     * whether the latest completed checkpoint holds every record.
     */
    boolean isCaughtUp(String bootstrap, List<String> topics) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            return caughtUp(admin, ends(admin, topics));
        }
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    /** The end offset of every partition of {@code topics}. */
    private static Map<TopicPartition, Long> ends(Admin admin, List<String> topics)
            throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (String topic : topics) {
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .forEach(
                            i ->
                                    ends.put(
                                            new TopicPartition(topic, i.partition()),
                                            OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(ends).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private boolean caughtUp(Admin admin, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return end.entrySet().stream()
                .allMatch(
                        e ->
                                e.getValue() == 0
                                        || (committed.get(e.getKey()) != null
                                                && committed.get(e.getKey()).offset()
                                                        >= e.getValue()));
    }

    /** The checkpoint or savepoint the (finished) job started from, or null if none. */
    RestoredCheckpointStats restoredFrom(MiniCluster cluster) throws Exception {
        return cluster.getArchivedExecutionGraph(id)
                .get(60, TimeUnit.SECONDS)
                .getCheckpointStatsSnapshot()
                .getLatestRestoredCheckpoint();
    }
}
