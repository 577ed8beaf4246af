package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    @Test
    void shouldMatchRfc4231TestCase2() {
        assertThat(
                        Signatures.hmacSha256Hex(
                                "Jefe".getBytes(StandardCharsets.UTF_8),
                                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void shouldPrefixTheHeaderValueWithTheAlgorithm() {
        assertThat(
                        Signatures.signatureHeader(
                                new Secret("Jefe"),
                                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(
                        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    /**
     * Expected value computed independently: {@code printf '1700000000000\nSEC0123456789abcdef' |
     * openssl dgst -sha256 -hmac 'SEC0123456789abcdef' -binary | base64}.
     */
    @Test
    void shouldSignDingTalkRequestsAsDingTalkDocuments() {
        Secret secret = new Secret("SEC0123456789abcdef");
        assertThat(Signatures.dingTalkSign(1_700_000_000_000L, secret))
                .isEqualTo("TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
        URI signed =
                Signatures.dingTalkSignedUrl(
                        URI.create("https://oapi.dingtalk.com/robot/send?access_token=abc"),
                        1_700_000_000_000L,
                        secret);
        assertThat(signed.toString())
                .isEqualTo(
                        "https://oapi.dingtalk.com/robot/send?access_token=abc"
                                + "&timestamp=1700000000000"
                                + "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
    }

    @Test
    void shouldStartTheQueryWhenTheUrlHasNone() {
        URI signed =
                Signatures.dingTalkSignedUrl(
                        URI.create("http://127.0.0.1:8080/robot"), 5L, new Secret("s"));
        assertThat(signed.getRawQuery()).startsWith("timestamp=5&sign=");
    }

    @Test
    void shouldNeverShowASecretInText() {
        Secret secret = new Secret("hunter2");
        assertThat(secret.toString()).doesNotContain("hunter2");
        Subscriber s =
                new Subscriber(
                        "ops",
                        URI.create("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K3Y"),
                        Format.WECOM,
                        secret,
                        SubscriberFilter.all());
        assertThat(s.toString()).doesNotContain("hunter2").doesNotContain("K3Y");
        assertThat(s.endpointForLogs())
                .isEqualTo("https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send");
    }
}
