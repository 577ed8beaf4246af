package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void shouldReadOptionsFlagsFlinkSettingsAndEnvironmentFallbacks() {
        Args args =
                Args.parse(
                        new String[] {
                            "--bounded",
                            "--topic",
                            "t1",
                            "--lateness=90s",
                            "-Dparallelism.default=2"
                        },
                        Map.of("KAFKA_BOOTSTRAP", "10.0.0.1:9092"));

        assertThat(args.flag("bounded")).isTrue();
        assertThat(args.string("topic", "tickets")).isEqualTo("t1");
        assertThat(args.duration("lateness", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(args.string("bootstrap", "KAFKA_BOOTSTRAP", "x")).isEqualTo("10.0.0.1:9092");
        assertThat(args.integer("missing", 7)).isEqualTo(7);
        assertThat(args.flinkSettings()).containsEntry("parallelism.default", "2");
        args.rejectUnknown();
    }

    @Test
    void shouldRefuseMisspeltOptionsAndBadValues() {
        Args args = Args.parse(new String[] {"--bounde", "--batch", "ten"}, Map.of());
        assertThatThrownBy(() -> args.integer("batch", 1)).hasMessageContaining("--batch");
        assertThatThrownBy(args::rejectUnknown).hasMessageContaining("--bounde");
        assertThatThrownBy(() -> Args.parseDuration("--x", "5 minutes"))
                .hasMessageContaining("duration");
        assertThat(Args.parseDuration("--x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Args.parseDuration("--x", "1d")).isEqualTo(Duration.ofDays(1));
    }
}
