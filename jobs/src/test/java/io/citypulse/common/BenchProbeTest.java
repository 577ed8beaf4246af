package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

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
}
