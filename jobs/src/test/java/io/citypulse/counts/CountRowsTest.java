package io.citypulse.counts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link CountRows#bind} and {@link CountFact#dimensions} read a row's dimension values out of its
 * key in place. The oracle is the JDK's {@code String.split(separator, -1)}, which they replace.
 */
class CountRowsTest {

    private static final String SEP = String.valueOf(CountFact.SEPARATOR);

    private static final List<String> KEYS =
            List.of(
                    CountFact.key("NOISE", "NOISE-CONSTRUCTION", "Futian", "NOISE-A", "HOTLINE"),
                    CountFact.key("NOISE", "NOISE-CONSTRUCTION", "Futian", "", "HOTLINE"),
                    CountFact.key("", "", "", "", ""),
                    CountFact.key("ROADS", "ROADS-POTHOLE", "Luohu", "ROADS-A", ""),
                    CountFact.key("ROADS", "ROADS-POTHOLE"),
                    "WATER",
                    "");

    @Test
    void shouldSplitAKeyAsTheJdkDoes() {
        for (String key : KEYS) {
            assertThat(CountFact.dimensions(key)).containsExactly(key.split(SEP, -1));
        }
    }

    @Test
    void shouldBindEachDimensionValueAndEmptyForMissingOnes() throws Exception {
        List<String> dims = List.of("category_major", "category_code", "district", "agency", "ch");
        CountRows rows = new CountRows("t", dims, List.of("created", "closed"));
        for (String key : KEYS) {
            TreeMap<Integer, Object> bound = new TreeMap<>();
            PreparedStatement ps =
                    (PreparedStatement)
                            Proxy.newProxyInstance(
                                    getClass().getClassLoader(),
                                    new Class<?>[] {PreparedStatement.class},
                                    (proxy, method, args) -> {
                                        if (method.getName().startsWith("set")) {
                                            bound.put((Integer) args[0], args[1]);
                                        }
                                        return null;
                                    });
            CountRow row =
                    new CountRow(
                            Granularity.HOUR,
                            3_600_000L,
                            7_200_000L,
                            key,
                            new long[] {4, 2},
                            true,
                            9);
            rows.bind(ps, row);

            String[] split = key.split(SEP, -1);
            Object[] expected = new Object[2 + dims.size() + 4];
            expected[0] = Instant.ofEpochMilli(3_600_000L);
            expected[1] = Instant.ofEpochMilli(7_200_000L);
            for (int d = 0; d < dims.size(); d++) {
                expected[2 + d] = d < split.length ? split[d] : "";
            }
            expected[2 + dims.size()] = 4L;
            expected[3 + dims.size()] = 2L;
            expected[4 + dims.size()] = 1;
            expected[5 + dims.size()] = 9L;
            assertThat(bound.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(bound.values()).as(key.replace(SEP, "|")).containsExactly(expected);
        }
    }
}
