package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** What {@link FlinkEnvironments} decides itself: object reuse, unless the run says otherwise. */
class FlinkEnvironmentsTest {

    @Test
    void shouldReuseObjectsByDefault() {
        StreamExecutionEnvironment env = FlinkEnvironments.create(null, Map.of());
        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
    }

    @Test
    void shouldLeaveObjectReuseToAnExplicitSetting() {
        StreamExecutionEnvironment off =
                FlinkEnvironments.create(null, Map.of("pipeline.object-reuse", "false"));
        assertThat(off.getConfig().isObjectReuseEnabled()).isFalse();
        StreamExecutionEnvironment on =
                FlinkEnvironments.create(null, Map.of("pipeline.object-reuse", "true"));
        assertThat(on.getConfig().isObjectReuseEnabled()).isTrue();
    }
}
