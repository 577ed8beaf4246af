package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.avro.NamedCount;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Subscriber subscriber(Format format) {
        return new Subscriber(
                "ops",
                URI.create("https://example.org/hook"),
                format,
                new Secret("s"),
                SubscriberFilter.all());
    }

    private static JsonNode render(HotspotAlert alert, Format format) throws Exception {
        return JSON.readTree(
                Payloads.body(alert, subscriber(format), "a-noise-futian:OPENED:0", SHANGHAI));
    }

    @Test
    void shouldSendEveryAlertFieldInTheWebhookBody() throws Exception {
        HotspotAlert alert = Alerts.noiseInFutian().build();
        JsonNode body = render(alert, Format.WEBHOOK);
        for (Schema.Field f : HotspotAlert.getClassSchema().getFields()) {
            assertThat(body.has(f.name())).as(f.name()).isTrue();
        }
        assertThat(body.get("subscriber").asText()).isEqualTo("ops");
        assertThat(body.get("idempotencyKey").asText()).isEqualTo("a-noise-futian:OPENED:0");
        assertThat(body.get("state").asText()).isEqualTo("OPENED");
        assertThat(body.get("eventTime").asText()).isEqualTo("2026-11-02T02:00:00Z");
        assertThat(body.get("eventTimeMs").asLong()).isEqualTo(Alerts.TEN_AM.toEpochMilli());
        assertThat(body.get("windowStartMs").asLong())
                .isEqualTo(Alerts.TEN_AM.toEpochMilli() - 3_600_000L);
        assertThat(body.get("categoryCode").isNull()).isTrue();
        assertThat(body.get("observed").asLong()).isEqualTo(43);
        assertThat(body.get("topItems").get(0).get("name").asText())
                .isEqualTo("NOISE-CONSTRUCTION");
        assertThat(body.get("topItems").get(0).get("count").asLong()).isEqualTo(20);
        assertThat(body.get("summaryZh").asText()).startsWith("福田区噪声类工单激增");
    }

    @Test
    void shouldSendAWeComMarkdownMessageLeadingWithTheChineseSummary() throws Exception {
        JsonNode body = render(Alerts.noiseInFutian().build(), Format.WECOM);
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        String content = body.get("markdown").get("content").asText();
        assertThat(content.indexOf("福田区噪声类工单激增"))
                .as("summary before the figures")
                .isLessThan(content.indexOf("观测/预期"))
                .isPositive();
        assertThat(content)
                .contains("新告警")
                .contains("突增")
                .contains("**43** / 7.8")
                .contains("Futian 噪声扰民 NOISE")
                .contains("2026-11-02 09:00 – 2026-11-02 10:00")
                .contains("NOISE-CONSTRUCTION 20、NOISE-NEIGHBOURHOOD 9")
                .contains("华富街道 12")
                .contains("<font color=\"warning\">");
        assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void shouldSendADingTalkMarkdownMessageWithATitle() throws Exception {
        JsonNode body =
                render(
                        Alerts.trafficCityWide()
                                .setState(io.citypulse.avro.AlertState.RESOLVED)
                                .setRevision(3)
                                .build(),
                        Format.DINGTALK);
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.get("markdown").get("title").asText()).contains("告警解除").contains("交通");
        String text = body.get("markdown").get("text").asText();
        assertThat(text)
                .startsWith("### ")
                .contains("全市交通类工单激增")
                .contains("全市 ")
                .contains("第 3 版")
                .doesNotContain("<font");
    }

    @Test
    void shouldKeepAWeComMessageWithinItsSizeLimit() throws Exception {
        List<NamedCount> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(new NamedCount("很长的街道名称".repeat(20) + i, 1L));
        }
        HotspotAlert alert =
                Alerts.noiseInFutian()
                        .setSummaryZh("很长的摘要".repeat(500))
                        .setTopStreets(many)
                        .build();
        String content = render(alert, Format.WECOM).get("markdown").get("content").asText();
        assertThat(content.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(Payloads.WECOM_MAX_BYTES);
        assertThat(content).endsWith("…");
    }
}
