package io.citypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.common.Args;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertConfigTest {

    private static AlertConfig parse(String... argv) {
        return AlertConfig.from(Args.parse(argv, Map.of()));
    }

    @Test
    void shouldCacheGateAndDetectorStateByDefaultAndTakeZeroForNone() {
        AlertConfig defaults = parse();
        assertThat(defaults.gateCacheKeys()).isEqualTo(50_000);
        assertThat(defaults.detectorCacheKeys()).isEqualTo(64);

        AlertConfig none = parse("--gate-cache-keys", "0", "--detector-cache-keys", "0");
        assertThat(none.gateCacheKeys()).isZero();
        assertThat(none.detectorCacheKeys()).isZero();

        assertThatThrownBy(() -> parse("--detector-cache-keys", "-1"))
                .hasMessageContaining("--detector-cache-keys must be 0 (no cache) or more");
        assertThatThrownBy(() -> parse("--detector-cache-keys", "many"))
                .hasMessageContaining("--detector-cache-keys must be a whole number");
    }
}
