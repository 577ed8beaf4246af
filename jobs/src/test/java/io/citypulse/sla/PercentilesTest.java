package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.sla.records.Percentiles;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldPickTheObservedValueAtTheNearestRank() {
        assertThat(Percentiles.nearestRank(new long[0], 0, 50)).isNull();
        assertThat(Percentiles.nearestRank(new long[] {7}, 1, 50)).isEqualTo(7L);
        assertThat(Percentiles.nearestRank(new long[] {7}, 1, 90)).isEqualTo(7L);
        // n = 4: p50 rank ceil(2) = 2, p90 rank ceil(3.6) = 4.
        long[] four = {10, 20, 30, 40};
        assertThat(Percentiles.nearestRank(four, 4, 50)).isEqualTo(20L);
        assertThat(Percentiles.nearestRank(four, 4, 90)).isEqualTo(40L);
        // Only the first n values count: the rest of the array is spare capacity.
        assertThat(Percentiles.nearestRank(four, 2, 100)).isEqualTo(20L);
        assertThat(Percentiles.nearestRank(four, 0, 50)).isNull();
        // n = 10: p90 rank exactly 9 (no floating-point drift to 10).
        long[] ten = LongStream.rangeClosed(1, 10).toArray();
        assertThat(Percentiles.nearestRank(ten, 10, 90)).isEqualTo(9L);
        // n = 30: p90 rank exactly 27.
        long[] thirty = LongStream.rangeClosed(1, 30).toArray();
        assertThat(Percentiles.nearestRank(thirty, 30, 90)).isEqualTo(27L);
        assertThat(Percentiles.nearestRank(thirty, 30, 100)).isEqualTo(30L);
        assertThatThrownBy(() -> Percentiles.nearestRank(ten, 10, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
