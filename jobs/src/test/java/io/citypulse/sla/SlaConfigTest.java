package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.common.Args;
import io.citypulse.sla.records.AgencyContribution;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.AgencyDayAccumulator;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.sla.records.TicketState;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

class SlaConfigTest {

    private static SlaConfig parse(String... argv) {
        return SlaConfig.from(Args.parse(argv, Map.of()));
    }

    @Test
    void shouldHaveDefaultsForEveryOption() {
        SlaConfig c = parse();
        assertThat(c.ticketsTopic()).isEqualTo("tickets");
        assertThat(c.groupId()).isEqualTo("citypulse-sla");
        assertThat(c.bounded()).isFalse();
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.closedGrace()).isEqualTo(Duration.ofDays(7));
        assertThat(c.maxTicketAge()).isEqualTo(Duration.ofDays(30));
        assertThat(c.agencyEmitInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.agencyDayRetention()).isEqualTo(Duration.ofDays(38));
        assertThat(c.ticketCacheKeys()).isEqualTo(200_000);
        assertThat(c.agencyCacheKeys()).isEqualTo(1_000);
        assertThat(c.limits().dispatchLimitMs("EMERGENCY", false, "X")).isEqualTo(1_800_000L);
    }

    @Test
    void shouldReadOptionsAndRefuseUnknownOnes() {
        SlaConfig c =
                parse(
                        "--bounded",
                        "--tickets-topic",
                        "t",
                        "--zone",
                        "America/New_York",
                        "--closed-grace",
                        "2d",
                        "--max-ticket-age",
                        "90d",
                        "--agency-emit-interval",
                        "1h",
                        "--agency-cache-keys",
                        "0",
                        "-Dparallelism.default=2");
        assertThat(c.bounded()).isTrue();
        assertThat(c.ticketsTopic()).isEqualTo("t");
        assertThat(c.zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(c.closedGrace()).isEqualTo(Duration.ofDays(2));
        assertThat(c.maxTicketAge()).isEqualTo(Duration.ofDays(90));
        assertThat(c.agencyEmitInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(c.agencyCacheKeys()).as("0: no cache").isZero();
        assertThat(c.flinkSettings()).containsEntry("parallelism.default", "2");

        assertThatThrownBy(() -> parse("--max-ticket-ages", "3d"))
                .hasMessageContaining("--max-ticket-ages");
        assertThatThrownBy(() -> parse("--zone", "Mars/Olympus")).hasMessageContaining("--zone");
        assertThatThrownBy(() -> parse("--agency-emit-interval", "0s"))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("--agency-cache-keys", "-1"))
                .hasMessageContaining("--agency-cache-keys must be 0 (no cache) or more");
        assertThatThrownBy(() -> parse("--sla-limits", "/nonexistent/limits.properties"))
                .hasMessageContaining("--sla-limits");
    }

    @Test
    void shouldKeepStateAndRecordsAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(TicketState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AgencyDayAccumulator.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AgencyContribution.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SlaBreach.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AgencyDaily.class);
    }
}
