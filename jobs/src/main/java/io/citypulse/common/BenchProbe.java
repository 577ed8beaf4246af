package io.citypulse.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What scripts/bench needs to know about a local run that the job cannot learn from outside: when
 * the first Kafka record was read and when the last ClickHouse batch was committed, plus the JVM's
 * CPU time and peak resident memory. The sources and sinks record the two instants (a volatile read
 * per record when already set); {@link io.citypulse.Main} writes them, and the moment the job
 * returned, as JSON to the file named by the system property {@value #PROPERTY} after the job ends.
 * Only meaningful for local runs, where the whole Flink runtime lives in this JVM.
 */
public final class BenchProbe {

    public static final String PROPERTY = "citypulse.bench.report";

    private static final AtomicLong FIRST_READ = new AtomicLong();
    private static final AtomicLong LAST_COMMIT = new AtomicLong();
    private static final AtomicLong RECORDS_READ = new AtomicLong();
    private static final AtomicLong ROWS_COMMITTED = new AtomicLong();

    private BenchProbe() {}

    /** A source read one record. */
    public static void read() {
        if (FIRST_READ.get() == 0) {
            FIRST_READ.compareAndSet(0, System.currentTimeMillis());
        }
        RECORDS_READ.incrementAndGet();
    }

    /** A sink committed a batch of {@code rows}. */
    public static void committed(int rows) {
        LAST_COMMIT.accumulateAndGet(System.currentTimeMillis(), Math::max);
        ROWS_COMMITTED.addAndGet(rows);
    }

    /** Writes the report if {@value #PROPERTY} names a file; no-op otherwise. */
    public static void writeReportIfRequested() throws IOException {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isEmpty()) {
            return;
        }
        long cpuNanos = -1;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            cpuNanos = os.getProcessCpuTime();
        }
        String json =
                "{\"firstReadMs\":"
                        + FIRST_READ.get()
                        + ",\"endMs\":"
                        + System.currentTimeMillis()
                        + ",\"lastCommitMs\":"
                        + LAST_COMMIT.get()
                        + ",\"recordsRead\":"
                        + RECORDS_READ.get()
                        + ",\"rowsCommitted\":"
                        + ROWS_COMMITTED.get()
                        + ",\"cpuNanos\":"
                        + cpuNanos
                        + ",\"peakRssBytes\":"
                        + peakRssBytes()
                        + "}\n";
        Files.writeString(Path.of(file), json, StandardCharsets.UTF_8);
    }

    /** VmHWM from /proc/self/status (Linux), -1 elsewhere. */
    private static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
