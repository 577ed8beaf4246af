package io.citypulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Panel files to JDBC SQL: placeholders become typed bind parameters; all files are served. */
class PanelsTest {

    @Test
    void shouldTurnPlaceholdersIntoTypedBindParametersOutsideCommentsAndStrings() {
        Panels.Panel p =
                Panels.compile(
                        "x",
                        "-- Panel: tickets of {day:Date}.\n"
                                + "-- Parameters: {day:Date}\n"
                                + "SELECT '{not:Param}' AS s, count() -- {day:Date} again\n"
                                + "FROM t WHERE d = {day:Date} AND c = {category:String}"
                                + " AND d > {day:Date} - 6");
        assertThat(p.jdbcSql())
                .isEqualTo(
                        "SELECT '{not:Param}' AS s, count() \n"
                                + "FROM t WHERE d = CAST(? AS Date) AND c = CAST(? AS String)"
                                + " AND d > CAST(? AS Date) - 6");
        assertThat(p.parameters()).containsExactly("day", "category", "day");
        assertThat(p.parameterNames()).containsExactly("day", "category");
        assertThat(p.description()).isEqualTo("tickets of {day:Date}. Parameters: {day:Date}");
    }

    @Test
    void shouldRefuseParametersTheServerDoesNotProvide() {
        assertThatThrownBy(() -> Panels.compile("x", "SELECT {sql:String}"))
                .hasMessageContaining("unknown parameter {sql}");
        assertThatThrownBy(() -> Panels.compile("x", "SELECT {1}"))
                .hasMessageContaining("not a {name:Type} placeholder");
    }

    @Test
    void shouldServeEverySqlFileOfSqlDashboard() throws Exception {
        Path dir =
                Path.of(System.getProperty("citypulse.repo.root", "..")).resolve("sql/dashboard");
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files =
                    s.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".sql"))
                            .map(n -> n.substring(0, n.length() - 4))
                            .sorted()
                            .toList();
        }
        assertThat(Panels.NAMES).containsExactlyInAnyOrderElementsOf(files);
        Panels built = Panels.load(null);
        for (String name : Panels.NAMES) {
            assertThat(built.get(name).jdbcSql()).doesNotContain("{").doesNotContain("--");
        }
        assertThat(Panels.load(dir).get("today_vs_yesterday").parameterNames())
                .containsExactly("day", "until_minute");
    }
}
