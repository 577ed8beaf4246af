package io.citypulse;

import io.citypulse.alerts.AlertJob;
import io.citypulse.common.BenchProbe;
import io.citypulse.hotspot.HotspotJob;
import io.citypulse.notify.NotifierJob;
import io.citypulse.sla.SlaJob;
import io.citypulse.sqlbaseline.HotspotSqlJob;
import io.citypulse.tools.bench.ReadCeiling;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of the job jar: {@code Main JOB [options]}. The same jar is submitted to a Flink
 * cluster ({@code flink run citypulse-jobs.jar hotspot ...}) and run locally by scripts/run.
 */
public final class Main {

    /** A job's main method. */
    interface Entry {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Entry> JOBS =
            new TreeMap<>(
                    Map.of(
                            "hotspot", HotspotJob::main,
                            "hotspot-sql", HotspotSqlJob::main,
                            "bench-read", ReadCeiling::main,
                            "sla", SlaJob::main,
                            "alerts", AlertJob::main,
                            "notifier", NotifierJob::main));

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: Main JOB [options]   (JOB --help for its options)");
            System.out.println("jobs: " + String.join(", ", JOBS.keySet()));
            return;
        }
        Entry job = JOBS.get(args[0]);
        if (job == null) {
            System.err.println(
                    "unknown job '" + args[0] + "'; jobs: " + String.join(", ", JOBS.keySet()));
            System.exit(2);
        }
        try {
            BenchProbe.startThreadSamplingIfRequested();
            job.run(Arrays.copyOfRange(args, 1, args.length));
            BenchProbe.writeReportIfRequested();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
