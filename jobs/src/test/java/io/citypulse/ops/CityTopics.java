package io.citypulse.ops;

import io.citypulse.testutils.ClickHouseTestDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics a test city's jobs read and write, and the arguments that run HotspotJob or SlaJob on
 * them as deployed (RocksDB, incremental checkpoints every second), for the tests that stop,
 * restart or upgrade the jobs mid-input.
 */
record CityTopics(String tickets, String leads, String deadLetters) {

    /** The topics {@code job} reads. */
    List<String> of(String job) {
        return job.equals("hotspot") ? List.of(tickets, leads) : List.of(tickets);
    }

    /**
     * The arguments of {@code job} ({@code hotspot} or {@code sla}) writing to {@code db}, in the
     * consumer group {@code groupPrefix-job-db}, without restarts (a test that wants them replaces
     * the last entry); a new list the caller may extend.
     */
    List<String> args(String job, ClickHouseTestDatabase db, String groupPrefix, int parallelism) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap",
                                System.getenv().getOrDefault("KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
                                "--tickets-topic",
                                tickets,
                                "--dead-letter-topic",
                                deadLetters,
                                "--group-id",
                                groupPrefix + "-" + job + "-" + db.name(),
                                "--clickhouse-url",
                                db.settings().url(),
                                "--clickhouse-database",
                                db.name(),
                                "--sink-batch-rows",
                                "2000",
                                "-Dstate.backend.type=rocksdb",
                                "-Dexecution.checkpointing.incremental=true",
                                "-Dexecution.checkpointing.interval=1s",
                                "-Dparallelism.default=" + parallelism));
        if (job.equals("hotspot")) {
            a.addAll(List.of("--leads-topic", leads));
        }
        a.add("-Drestart-strategy.type=none");
        return a;
    }
}
