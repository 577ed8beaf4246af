package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaLimitsTest {

    private static final long MIN = 60_000L;

    @TempDir Path dir;

    @Test
    void shouldShipThePlatformsPromiseAsDefaults() {
        SlaLimits limits = SlaLimits.defaults();
        assertThat(limits.dispatchLimitMs("EMERGENCY", false, "ROADS-POTHOLE")).isEqualTo(30 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", false, "ROADS-POTHOLE")).isEqualTo(120 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", true, "ROADS-POTHOLE"))
                .as("no expedited limit by default")
                .isEqualTo(120 * MIN);
        // Catalogue: ROADS-POTHOLE 72 h; an item outside the catalogue gets the 5-day default.
        assertThat(limits.resolutionLimitMs("ROADS-POTHOLE"))
                .isEqualTo(Duration.ofHours(72).toMillis());
        assertThat(limits.resolutionLimitMs("NOT-IN-CATALOGUE"))
                .isEqualTo(Duration.ofDays(5).toMillis());
    }

    @Test
    void shouldApplyTheCataloguesOwnDispatchLimitsAndResolutionTimes() {
        SlaLimits limits = SlaLimits.defaults();
        CatalogueItem strict =
                Catalogue.load().items().stream()
                        .filter(i -> i.dispatchLimit().isPresent())
                        .findFirst()
                        .orElseThrow();
        long itemLimit = strict.dispatchLimit().getAsInt() * MIN;
        assertThat(itemLimit).isLessThan(120 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", false, strict.code())).isEqualTo(itemLimit);
        assertThat(limits.dispatchLimitMs("EMERGENCY", false, strict.code()))
                .isEqualTo(Math.min(itemLimit, 30 * MIN));
        assertThat(limits.resolutionLimitMs(strict.code()))
                .isEqualTo(Duration.ofHours(strict.resolutionHours()).toMillis());
    }

    @Test
    void shouldReadAFileOnTopOfTheDefaultsWhereTheStrictestDispatchLimitWins() throws Exception {
        Path file = dir.resolve("limits.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "# comment",
                        "dispatch.expedited.emergency = 15m",
                        "dispatch.expedited.general = 1h",
                        "item.WATER-PIPE-BURST.dispatch = 10m",
                        "item.NOISE-TRAFFIC.dispatch = 5h",
                        "item.ROADS-POTHOLE.resolution = 2d",
                        "catalogue = false",
                        "resolution.default = 3d"));
        SlaLimits limits = SlaLimits.load(file.toString());

        assertThat(limits.dispatchLimitMs("EMERGENCY", true, "X")).isEqualTo(15 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", true, "X")).isEqualTo(60 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", false, "X")).isEqualTo(120 * MIN);
        assertThat(limits.dispatchLimitMs("GENERAL", true, "WATER-PIPE-BURST")).isEqualTo(10 * MIN);
        assertThat(limits.dispatchLimitMs("EMERGENCY", false, "NOISE-TRAFFIC"))
                .as("an item cannot loosen the urgency's limit")
                .isEqualTo(30 * MIN);
        assertThat(limits.resolutionLimitMs("ROADS-POTHOLE"))
                .isEqualTo(Duration.ofDays(2).toMillis());
        assertThat(limits.resolutionLimitMs("NOISE-CONSTRUCTION"))
                .as("catalogue switched off")
                .isEqualTo(Duration.ofDays(3).toMillis());
    }

    @Test
    void shouldRefuseUnknownKeysBadDurationsAndMissingFiles() throws Exception {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "dispatch.emergancy = 20m\n");
        assertThatThrownBy(() -> SlaLimits.load(typo.toString()))
                .hasMessageContaining("dispatch.emergancy");

        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "dispatch.general = two hours\n");
        assertThatThrownBy(() -> SlaLimits.load(bad.toString()))
                .hasMessageContaining("dispatch.general");

        Path zero = dir.resolve("zero.properties");
        Files.writeString(zero, "item.X.dispatch = 0m\n");
        assertThatThrownBy(() -> SlaLimits.load(zero.toString())).hasMessageContaining("positive");

        assertThatThrownBy(() -> SlaLimits.load(dir.resolve("missing").toString()))
                .hasMessageContaining("--sla-limits");
    }
}
