package io.citypulse.hotspot;

import io.citypulse.common.Args;
import java.util.Map;

/** Job configurations for tests, built through the same parser as production. */
final class TestConfigs {

    private TestConfigs() {}

    static HotspotConfig hotspot(String... argv) {
        return HotspotConfig.from(Args.parse(argv, Map.of()));
    }
}
