package io.citypulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of the browser's parameters and the SQL values derived from them. */
class RequestParametersTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    // Thursday 2026-10-08, 14:37:20 local
    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 10, 8, 14, 37, 20, 0, SHANGHAI);

    static Map<String, List<String>> q(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return m;
    }

    @Test
    void shouldDefaultToTodayUpToTheCurrentMinute() throws Exception {
        RequestParameters p = RequestParameters.parse(q(), NOW);
        assertThat(p.day()).isEqualTo(LocalDate.of(2026, 10, 8));
        assertThat(p.lang()).isEqualTo("zh");
        // 14:37 -> 877 minutes after midnight; windows starting in minute 877 count, hence 878
        assertThat(p.values())
                .containsEntry("day", "2026-10-08")
                .containsEntry("until_minute", "878")
                .containsEntry("week_start", "2026-10-05")
                .containsEntry("hour", "2026-10-08 14:00:00")
                .containsEntry("scope", "city")
                .doesNotContainKeys("category", "district");
    }

    @Test
    void shouldCompareWholeDaysInThePastAndNothingInTheFuture() throws Exception {
        RequestParameters past = RequestParameters.parse(q("day", "2026-10-04"), NOW);
        assertThat(past.values())
                .containsEntry("until_minute", "1440")
                .containsEntry("week_start", "2026-09-28") // 10-04 is a Sunday
                .containsEntry("hour", "2026-10-04 23:00:00");
        RequestParameters future = RequestParameters.parse(q("day", "2026-10-09"), NOW);
        assertThat(future.values()).containsEntry("until_minute", "0");
    }

    @Test
    void shouldTakeDistrictCategoryAndLang() throws Exception {
        RequestParameters p =
                RequestParameters.parse(
                        q("district", "Baoan", "category", "NOISE", "lang", "en"), NOW);
        assertThat(p.values())
                .containsEntry("scope", "Baoan")
                .containsEntry("district", "Baoan")
                .containsEntry("category", "NOISE");
        assertThat(p.lang()).isEqualTo("en");
        assertThat(RequestParameters.parse(q("district", "大鹏新区"), NOW).values())
                .containsEntry("scope", "大鹏新区");
    }

    @Test
    void shouldRefuseMalformedValuesNamingTheParameter() {
        Object[][] bad = {
            {"day", "2026-13-01"},
            {"day", "2026-02-30"},
            {"day", "20261008"},
            {"day", "1999-12-31"},
            {"day", "2028-01-01"}, // more than a year ahead
            {"day", "2026-10-08' OR 1=1 --"},
            {"district", "Futian'; DROP TABLE alerts"},
            {"district", ""},
            {"district", "x".repeat(41)},
            {"category", "noise"},
            {"category", "NOISE)"},
            {"lang", "fr"},
        };
        for (Object[] b : bad) {
            String name = (String) b[0];
            assertThatThrownBy(() -> RequestParameters.parse(q(name, (String) b[1]), NOW))
                    .as("%s=%s", name, b[1])
                    .isInstanceOfSatisfying(
                            BadRequestException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(400);
                                assertThat(e.parameter()).isEqualTo(name);
                                assertThat(e.getMessage()).startsWith(name + " must be");
                            });
        }
    }

    @Test
    void shouldRefuseUnknownAndRepeatedParameters() {
        assertThatThrownBy(() -> RequestParameters.parse(q("sql", "SELECT 1"), NOW))
                .isInstanceOfSatisfying(
                        BadRequestException.class,
                        e -> {
                            assertThat(e.parameter()).isEqualTo("sql");
                            assertThat(e.getMessage()).contains("unknown parameter 'sql'");
                        });
        assertThatThrownBy(
                        () ->
                                RequestParameters.parse(
                                        q("day", "2026-10-01", "day", "2026-10-02"), NOW))
                .hasMessageContaining("more than once");
    }

    @Test
    void shouldNeverEchoControlCharactersOrLongValues() {
        assertThat(BadRequestException.shown("a<script>\n")).isEqualTo("a?script??");
        assertThat(BadRequestException.shown("y".repeat(100))).hasSize(43);
    }
}
