package io.citypulse.common;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What scripts/bench needs to know about a local run that the job cannot learn from outside: when
 * the first Kafka record was read and when the last ClickHouse batch was committed, plus the JVM's
 * CPU time and peak resident memory. The sources and sinks record the two instants (a volatile read
 * per record when already set); {@link io.citypulse.Main} writes them, and the moment the job
 * returned, as JSON to the file named by the system property {@value #PROPERTY} after the job ends.
 * Only meaningful for local runs, where the whole Flink runtime lives in this JVM.
 *
 * <p>The report also splits the JVM's CPU time by thread ({@code threadCpuSeconds}), from Linux's
 * per-thread counters ({@code /proc/self/task}): JFR's execution samples leave out time in native
 * code (RocksDB, the JIT compilers, GC), which hid the busiest thread of the hotspot job. Threads
 * are sampled every second, as a task's threads are gone by the time the job returns, and grouped
 * by name with their numbers taken out ({@code ticket-gate -> ticket-facts (N/N)#N}).
 *
 * <p>And the garbage collector the JVM ran with ({@code gc}: each of its collectors' collections
 * and accumulated time), as the collector changes a run's figures by more than the noise.
 */
public final class BenchProbe {

    public static final String PROPERTY = "citypulse.bench.report";

    private static final AtomicLong FIRST_READ = new AtomicLong();
    private static final AtomicLong LAST_COMMIT = new AtomicLong();
    private static final AtomicLong RECORDS_READ = new AtomicLong();
    private static final AtomicLong ROWS_COMMITTED = new AtomicLong();

    /** Thread id -> [name, the most CPU ticks seen]; guarded by itself. */
    private static final Map<String, Object[]> THREAD_TICKS = new HashMap<>();

    /** Linux's USER_HZ: the unit of the per-thread counters (100 on every usual kernel). */
    private static final double TICKS_PER_SECOND = 100.0;

    private BenchProbe() {}

    /**
     * Starts sampling every thread's CPU time once a second if {@value #PROPERTY} is set (and the
     * system has {@code /proc/self/task}); no-op otherwise.
     */
    public static void startThreadSamplingIfRequested() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isEmpty() || !Files.isDirectory(Path.of("/proc/self/task"))) {
            return;
        }
        Thread sampler =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                sampleThreads();
                                try {
                                    Thread.sleep(1000);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "bench-thread-cpu");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void sampleThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    long ticks = cpuTicks(Files.readString(task.resolve("stat")));
                    synchronized (THREAD_TICKS) {
                        Object[] seen =
                                THREAD_TICKS.computeIfAbsent(
                                        task.getFileName().toString(),
                                        k -> new Object[] {name, 0L});
                        seen[0] = name;
                        seen[1] = Math.max((Long) seen[1], ticks);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            // No sample this time.
        }
    }

    /**
     * utime + stime of a {@code /proc/.../stat} line (fields 14 and 15; the name may hold spaces).
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU seconds per thread name (numbers replaced by N), largest first, at most {@code top}. */
    static List<Map.Entry<String, Double>> threadCpuSeconds(int top) {
        Map<String, Double> byName = new TreeMap<>();
        synchronized (THREAD_TICKS) {
            for (Object[] seen : THREAD_TICKS.values()) {
                String name = ((String) seen[0]).replaceAll("[0-9]+", "N");
                byName.merge(name, (Long) seen[1] / TICKS_PER_SECOND, Double::sum);
            }
        }
        return byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .toList();
    }

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
        sampleThreads();
        StringBuilder threads = new StringBuilder("{");
        for (Map.Entry<String, Double> e : threadCpuSeconds(15)) {
            if (threads.length() > 1) {
                threads.append(',');
            }
            threads.append(jsonString(e.getKey()))
                    .append(':')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue()));
        }
        threads.append('}');
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
                        + ",\"threadCpuSeconds\":"
                        + threads
                        + ",\"gc\":"
                        + gcJson(ManagementFactory.getGarbageCollectorMXBeans())
                        + "}\n";
        Files.writeString(Path.of(file), json, StandardCharsets.UTF_8);
    }

    /**
     * Each collector's collections and accumulated time (an approximate wall time the JVM reports,
     * -1 where it does not), by the collector's own name ("PS Scavenge", "G1 Young Generation").
     */
    static String gcJson(List<? extends GarbageCollectorMXBean> collectors) {
        StringBuilder json = new StringBuilder("{");
        for (GarbageCollectorMXBean gc : collectors) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(jsonString(gc.getName()))
                    .append(":{\"collections\":")
                    .append(gc.getCollectionCount())
                    .append(",\"seconds\":")
                    .append(
                            gc.getCollectionTime() < 0
                                    ? "-1"
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "%.3f",
                                            gc.getCollectionTime() / 1000.0))
                    .append('}');
        }
        return json.append('}').toString();
    }

    /** A name as a JSON string: quoted, with its backslashes and quotes escaped. */
    private static String jsonString(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
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
