package io.citypulse.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.RepoPaths;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/load-catalogue} against the real ClickHouse engine (the local stack, or {@code
 * CLICKHOUSE_URL}): the {@code catalogue} table holds exactly the catalogue the jobs load from the
 * same files, a reload changes nothing, and a reload of an edited catalogue replaces the old one.
 */
class CatalogueLoadITCase {

    @TempDir Path tmp;

    @Test
    @Timeout(120)
    void shouldHoldExactlyTheShippedCatalogueAndReplaceItOnReload() throws Exception {
        try (ClickHouseTestDatabase db = ClickHouseTestDatabase.create("it_catalogue")) {
            Catalogue catalogue = Catalogue.load();
            load(db, null);
            load(db, null);

            List<Map<String, Object>> rows =
                    db.query(
                            "SELECT category_code, category_major, agency, default_resolution_hours,"
                                    + " dispatch_limit_minutes, item_name_en, item_name_zh,"
                                    + " major_name_en, major_name_zh, item_rank"
                                    + " FROM catalogue FINAL ORDER BY major_rank, item_rank");
            assertThat(rows).hasSize(catalogue.items().size());
            assertThat(db.queryLong("SELECT count() FROM catalogue"))
                    .as("the second load replaced the first, not added to it")
                    .isEqualTo(catalogue.items().size());
            List<CatalogueItem> expected = new ArrayList<>();
            for (MajorCategory major : catalogue.majorCategories()) {
                expected.addAll(catalogue.itemsOf(major.code()));
            }
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = rows.get(i);
                CatalogueItem item = expected.get(i);
                MajorCategory major = catalogue.major(item.major());
                assertThat(row.get("category_code")).isEqualTo(item.code());
                assertThat(row.get("category_major")).isEqualTo(item.major());
                assertThat(row.get("agency")).isEqualTo(item.agency());
                assertThat(((Number) row.get("default_resolution_hours")).intValue())
                        .isEqualTo(item.resolutionHours());
                Object limit = row.get("dispatch_limit_minutes");
                assertThat(limit == null ? 0 : ((Number) limit).intValue())
                        .as(item.code())
                        .isEqualTo(item.dispatchLimitMinutes());
                assertThat(row.get("item_name_en")).isEqualTo(item.name());
                assertThat(row.get("item_name_zh")).isEqualTo(item.nameZh());
                assertThat(row.get("major_name_en")).isEqualTo(major.name());
                assertThat(row.get("major_name_zh")).isEqualTo(major.nameZh());
                assertThat(((Number) row.get("item_rank")).intValue())
                        .isEqualTo(catalogue.itemsOf(item.major()).indexOf(item) + 1);
            }

            // An edited catalogue: one item dropped, one renamed. The reload leaves exactly it.
            Path dir = tmp.resolve("edited");
            Files.createDirectories(dir);
            Path source =
                    RepoPaths.root().resolve("jobs/src/main/resources/io/citypulse/catalogue");
            Files.copy(source.resolve("majors.csv"), dir.resolve("majors.csv"));
            List<String> lines =
                    Files.readAllLines(source.resolve("catalogue.csv"), StandardCharsets.UTF_8)
                            .stream()
                            .filter(l -> !l.startsWith("NOISE-FIREWORKS,"))
                            .map(
                                    l ->
                                            l.startsWith("NOISE-CONSTRUCTION,")
                                                    ? l.replace("建筑施工噪声", "施工噪声（新）")
                                                    : l)
                            .collect(Collectors.toList());
            Files.write(dir.resolve("catalogue.csv"), lines, StandardCharsets.UTF_8);
            load(db, dir);
            assertThat(db.queryLong("SELECT count() FROM catalogue FINAL"))
                    .isEqualTo(catalogue.items().size() - 1);
            assertThat(
                            db.queryLong(
                                    "SELECT count() FROM catalogue WHERE category_code = 'NOISE-FIREWORKS'"))
                    .isZero();
            assertThat(
                            db.query(
                                            "SELECT item_name_zh FROM catalogue FINAL"
                                                    + " WHERE category_code = 'NOISE-CONSTRUCTION'")
                                    .get(0)
                                    .get("item_name_zh"))
                    .isEqualTo("施工噪声（新）");
        }
    }

    /** Runs scripts/load-catalogue (what scripts/stack up runs) into the test database. */
    private void load(ClickHouseTestDatabase db, Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RepoPaths.root().resolve("scripts/load-catalogue").toString());
        command.add("--url");
        command.add(db.settings().url());
        command.add("--database");
        command.add(db.name());
        if (dir != null) {
            command.add("--dir");
            command.add(dir.toString());
        }
        File log = tmp.resolve("load-" + System.nanoTime() + ".log").toFile();
        Process p =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("load-catalogue finished").isTrue();
        String output = Files.readString(log.toPath());
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("catalogue: loaded");
    }
}
