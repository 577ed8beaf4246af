package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.sla.functions.Percentiles;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldPickTheObservedValueAtTheNearestRank() {
        assertThat(Percentiles.nearestRank(List.of(), 50)).isNull();
        assertThat(Percentiles.nearestRank(List.of(7L), 50)).isEqualTo(7L);
        assertThat(Percentiles.nearestRank(List.of(7L), 90)).isEqualTo(7L);
        // n = 4: p50 rank ceil(2) = 2, p90 rank ceil(3.6) = 4.
        assertThat(Percentiles.nearestRank(List.of(10L, 20L, 30L, 40L), 50)).isEqualTo(20L);
        assertThat(Percentiles.nearestRank(List.of(10L, 20L, 30L, 40L), 90)).isEqualTo(40L);
        // n = 10: p90 rank exactly 9 (no floating-point drift to 10).
        List<Long> ten = LongStream.rangeClosed(1, 10).boxed().toList();
        assertThat(Percentiles.nearestRank(ten, 90)).isEqualTo(9L);
        // n = 30: p90 rank exactly 27.
        List<Long> thirty = LongStream.rangeClosed(1, 30).boxed().toList();
        assertThat(Percentiles.nearestRank(thirty, 90)).isEqualTo(27L);
        assertThat(Percentiles.nearestRank(thirty, 100)).isEqualTo(30L);
        assertThatThrownBy(() -> Percentiles.nearestRank(ten, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
