package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriberFilterTest {

    private static Set<String> set(String csv) {
        return csv == null || csv.isBlank()
                ? Set.of()
                : Arrays.stream(csv.split(" ")).collect(Collectors.toSet());
    }

    /**
     * One alert (category, district or '-' for city-wide, level, state) against one filter
     * (categories, districts, includeCityWide, levels, states; empty = all, states empty = every
     * state).
     */
    @ParameterizedTest(name = "[{index}] {0}/{1}/{2}/{3} vs {4}|{5}|{6}|{7}|{8} -> {9}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            NOISE   | Futian | SPIKE         | OPENED    |              |               | true  |       |                  | true
            NOISE   | Futian | SPIKE         | OPENED    | NOISE        |               | true  |       |                  | true
            NOISE   | Futian | SPIKE         | OPENED    | TRAFFIC      |               | true  |       |                  | false
            NOISE   | Futian | SPIKE         | OPENED    | TRAFFIC NOISE|               | true  |       |                  | true
            NOISE   | Futian | SPIKE         | OPENED    |              | Futian        | true  |       |                  | true
            NOISE   | Futian | SPIKE         | OPENED    |              | Nanshan       | true  |       |                  | false
            NOISE   | -      | SPIKE         | OPENED    |              | Nanshan       | true  |       |                  | true
            NOISE   | -      | SPIKE         | OPENED    |              | Nanshan       | false |       |                  | false
            NOISE   | -      | SPIKE         | OPENED    |              |               | false |       |                  | true
            NOISE   | Futian | SPIKE         | OPENED    |              |               | true  | SPIKE |                  | true
            NOISE   | Futian | CASE_CATEGORY | OPENED    |              |               | true  | SPIKE |                  | false
            NOISE   | Futian | SPIKE         | UPDATED   |              |               | true  |       | OPENED RESOLVED  | false
            NOISE   | Futian | SPIKE         | RESOLVED  |              |               | true  |       | OPENED RESOLVED  | true
            NOISE   | Futian | SPIKE         | ESCALATED |              |               | true  |       |                  | true
            NOISE   | Futian | SPIKE         | UNKNOWN   |              |               | true  |       |                  | false
            TRAFFIC | Futian | CASE_CATEGORY | ESCALATED | NOISE        | Futian        | true  |       |                  | false
            NOISE   | Futian | CASE_CATEGORY | ESCALATED | NOISE        | Futian        | true  | CASE_CATEGORY | ESCALATED | true
            """)
    void shouldMatchOnlyWhatTheFilterAsksFor(
            String category,
            String district,
            AlertLevel level,
            AlertState state,
            String categories,
            String districts,
            boolean includeCityWide,
            String levels,
            String states,
            boolean expected) {
        HotspotAlert alert =
                Alerts.noiseInFutian()
                        .setCategoryMajor(category)
                        .setDistrict(district.equals("-") ? null : district)
                        .setLevel(level)
                        .setState(state)
                        .build();
        SubscriberFilter filter =
                new SubscriberFilter(
                        set(categories),
                        set(districts),
                        includeCityWide,
                        set(levels).stream().map(AlertLevel::valueOf).collect(Collectors.toSet()),
                        states == null
                                ? SubscriberFilter.ALL_STATES
                                : set(states).stream()
                                        .map(AlertState::valueOf)
                                        .collect(Collectors.toSet()));
        assertThat(filter.matches(alert)).isEqualTo(expected);
    }
}
