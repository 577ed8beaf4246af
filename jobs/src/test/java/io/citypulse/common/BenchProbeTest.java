package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The per-thread CPU counters as Linux writes them in {@code /proc/<pid>/task/<tid>/stat}. */
class BenchProbeTest {

    @Test
    void shouldReadUserPlusSystemTicksPastANameWithSpacesAndParentheses() {
        // Fields 14 (utime) = 4200 and 15 (stime) = 137, after a Flink task thread's name.
        String stat =
                "4711 (ticket-gate -> t) S 1 4700 4700 0 -1 4194368 12 0 0 0 4200 137 0 0 20 0"
                        + " 90 0 123 456 789";
        assertThat(BenchProbe.cpuTicks(stat)).isEqualTo(4337);
        assertThat(BenchProbe.cpuTicks("1 (a (b) c) R 0 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0"))
                .isEqualTo(11);
    }

    @Test
    void shouldReportEachCollectorWithItsCollectionsAndSeconds() {
        String json =
                BenchProbe.gcJson(
                        List.of(
                                collector("PS Scavenge", 12, 345),
                                collector("PS MarkSweep", 2, 1500),
                                collector("odd \"name\"", 0, -1)));
        assertThat(json)
                .isEqualTo(
                        "{\"PS Scavenge\":{\"collections\":12,\"seconds\":0.345},"
                                + "\"PS MarkSweep\":{\"collections\":2,\"seconds\":1.500},"
                                + "\"odd \\\"name\\\"\":{\"collections\":0,\"seconds\":-1}}");
        assertThat(BenchProbe.gcJson(List.of())).isEqualTo("{}");
    }

    private static GarbageCollectorMXBean collector(String name, long count, long millis) {
        return new GarbageCollectorMXBean() {
            @Override
            public long getCollectionCount() {
                return count;
            }

            @Override
            public long getCollectionTime() {
                return millis;
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isValid() {
                return true;
            }

            @Override
            public String[] getMemoryPoolNames() {
                return new String[0];
            }

            @Override
            public ObjectName getObjectName() {
                return null;
            }
        };
    }
}
