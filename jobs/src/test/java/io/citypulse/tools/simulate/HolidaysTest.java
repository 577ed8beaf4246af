package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.SHANGHAI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HolidaysTest {

    @Test
    void parsesDatesRangesAndTheChinesePreset() {
        Holidays h = Holidays.parse("2026-10-01..2026-10-03, 2026-12-25", 0.5);
        assertThat(h.dates())
                .containsExactly(
                        LocalDate.parse("2026-10-01"),
                        LocalDate.parse("2026-10-02"),
                        LocalDate.parse("2026-10-03"),
                        LocalDate.parse("2026-12-25"));
        assertThat(h.factor(LocalDate.parse("2026-10-02").toEpochDay())).isEqualTo(0.5);
        assertThat(h.factor(LocalDate.parse("2026-10-04").toEpochDay())).isEqualTo(1.0);
        Holidays cn = Holidays.parse("cn", 0.7);
        assertThat(cn.dates())
                .contains(
                        LocalDate.parse("2026-02-17"), // Spring Festival
                        LocalDate.parse("2026-10-07"),
                        LocalDate.parse("2025-10-08"))
                .doesNotContain(LocalDate.parse("2026-11-02"));
        assertThat(Holidays.parse("none", 0.7).isEmpty()).isTrue();
        assertThatThrownBy(() -> Holidays.parse("2026-10-05..2026-10-01", 0.7))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> Holidays.parse("christmas", 0.7))
                .hasMessageContaining("'christmas' is not a date");
    }

    @Test
    void aHolidayIsQuieterByItsFactorAndOtherDaysAreUnchanged() {
        // Two weeks; the second Monday is a holiday at x0.5. Compared with the same run without
        // holidays, that Monday has about half the tickets and every other day the same ones.
        var start = SimulationRuns.MONDAY;
        LocalDate holiday = LocalDate.parse("2026-11-09");
        SimulationSettings plain = SimulationRuns.defaults().withRates(200, 0);
        SimulationSettings withHoliday =
                plain.toBuilder().holidays(Holidays.parse(holiday.toString(), 0.5)).build();
        Map<LocalDate, Long> a =
                perDay(SimulationRuns.collect(3, start, Duration.ofDays(14), plain));
        Map<LocalDate, Long> b =
                perDay(SimulationRuns.collect(3, start, Duration.ofDays(14), withHoliday));
        a.forEach(
                (day, n) -> {
                    if (!day.equals(holiday)) {
                        assertThat(b.get(day)).as(day.toString()).isEqualTo(n);
                    }
                });
        // ~5,000 tickets on a Monday: half of it within a few standard deviations.
        assertThat((double) b.get(holiday) / a.get(holiday)).isCloseTo(0.5, within(0.05));
    }

    private static Map<LocalDate, Long> perDay(CollectingSink run) {
        return run.tickets().stream()
                .filter(e -> e.getType() == TicketEventType.CREATED)
                .map(TicketEvent::getEventTime)
                .collect(
                        Collectors.groupingBy(
                                t -> t.atZone(SHANGHAI).toLocalDate(), Collectors.counting()));
    }
}
