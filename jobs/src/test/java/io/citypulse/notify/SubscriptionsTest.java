package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.testutils.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionsTest {

    private static final Map<String, String> ENV = Map.of("OPS_SECRET", "s3cr3t-from-env");

    @TempDir Path dir;

    private List<Subscriber> parse(String yaml) throws Exception {
        Path file = dir.resolve("subscriptions.yaml");
        Files.writeString(file, yaml);
        return Subscriptions.load(file, ENV);
    }

    private static String one(String body) {
        return "subscribers:\n  - name: ops\n" + body;
    }

    @Test
    void shouldReadEveryKeyOfAGoodFile() throws Exception {
        Files.writeString(dir.resolve("ding.secret"), "SECding\n");
        List<Subscriber> subs =
                parse(
                        """
                        subscribers:
                          - name: ops
                            endpoint: https://ops.example.org/hook
                            format: webhook
                            secretEnv: OPS_SECRET
                            categories: [NOISE, TRAFFIC]
                            districts: [Futian, Nanshan]
                            includeCityWide: false
                            levels: [SPIKE]
                            states: [OPENED, ESCALATED]
                          - name: wecom-room
                            endpoint: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc
                            format: wecom
                          - name: ding
                            endpoint: https://oapi.dingtalk.com/robot/send?access_token=t
                            format: dingtalk
                            secretFile: ding.secret
                        """);
        assertThat(subs).extracting(Subscriber::name).containsExactly("ops", "wecom-room", "ding");
        Subscriber ops = subs.get(0);
        assertThat(ops.format()).isEqualTo(Format.WEBHOOK);
        assertThat(ops.secret().value()).isEqualTo("s3cr3t-from-env");
        assertThat(ops.filter())
                .isEqualTo(
                        new SubscriberFilter(
                                Set.of("NOISE", "TRAFFIC"),
                                Set.of("Futian", "Nanshan"),
                                false,
                                Set.of(AlertLevel.SPIKE),
                                Set.of(AlertState.OPENED, AlertState.ESCALATED)));
        assertThat(subs.get(1).secret()).as("wecom: key in the URL, secret optional").isNull();
        assertThat(subs.get(1).filter()).isEqualTo(SubscriberFilter.all());
        assertThat(subs.get(2).secret().value())
                .as("relative to the file, trailing newline stripped")
                .isEqualTo("SECding");
        assertThat(subs.toString()).doesNotContain("s3cr3t").doesNotContain("SECding");
    }

    @Test
    void shouldAcceptAPlainListAndTheShippedExample() throws Exception {
        assertThat(
                        parse(
                                """
                                - name: a
                                  endpoint: http://127.0.0.1:9/x
                                  format: webhook
                                  secretEnv: OPS_SECRET
                                """))
                .hasSize(1);
        Path example = RepoPaths.root().resolve("scripts/conf/subscriptions.example.yaml");
        Files.writeString(dir.resolve("ops.secret"), "x");
        Map<String, String> env = Map.of("CITYPULSE_OPS_WEBHOOK_SECRET", "a");
        Path copy = dir.resolve("example.yaml");
        Files.writeString(copy, Files.readString(example));
        assertThat(Subscriptions.load(copy, env))
                .extracting(Subscriber::format)
                .contains(Format.WEBHOOK, Format.WECOM, Format.DINGTALK);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            inline secret              | endpoint: http://h/x\\n    format: webhook\\n    secret: hunter2                       | inline 'secret' is not allowed
            unknown key                | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    categorys: [NOISE] | unknown key 'categorys'
            missing endpoint           | format: webhook\\n    secretEnv: OPS_SECRET                                       | 'endpoint' is required
            not a URL                  | endpoint: 'http://h x/'\\n    format: webhook\\n    secretEnv: OPS_SECRET         | endpoint is not a valid URL
            not http                   | endpoint: ftp://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET             | http:// or https://
            no host                    | endpoint: 'http:/x'\\n    format: webhook\\n    secretEnv: OPS_SECRET              | endpoint has no host
            bad format                 | endpoint: http://h/x\\n    format: slack\\n    secretEnv: OPS_SECRET              | format must be one of webhook, wecom, dingtalk
            bad level                  | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    levels: [PANIC] | levels: unknown value 'PANIC' (one of SPIKE, CASE_CATEGORY)
            bad state                  | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    states: [OPEN] | states: unknown value 'OPEN' (one of OPENED, UPDATED, ESCALATED, RESOLVED)
            empty states               | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    states: [] | states is empty
            lower-case category        | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    categories: [noise] | is not a major category code
            categories not a list      | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    categories: NOISE | categories must be a list
            includeCityWide not bool   | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    includeCityWide: maybe | includeCityWide must be true or false
            missing env var            | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: NOT_SET           | environment variable NOT_SET (secretEnv) is not set
            missing secret file        | endpoint: http://h/x\\n    format: webhook\\n    secretFile: nowhere.secret   | cannot read secretFile
            both secret sources        | endpoint: http://h/x\\n    format: webhook\\n    secretEnv: OPS_SECRET\\n    secretFile: x | either secretFile or secretEnv, not both
            webhook without secret     | endpoint: http://h/x\\n    format: webhook                                     | format webhook needs a secret
            dingtalk without secret    | endpoint: http://h/x\\n    format: dingtalk                                    | format dingtalk needs a secret
            """)
    void shouldRefuseWithAClearMessage(String what, String body, String message) {
        assertThatThrownBy(() -> parse(one("    " + body.replace("\\n", "\n") + "\n")))
                .as(what)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subscriber #1 (ops)")
                .hasMessageContaining(message)
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shouldRefuseAnEmptySecretFile() throws Exception {
        Files.writeString(dir.resolve("empty.secret"), "\n");
        assertThatThrownBy(
                        () ->
                                parse(
                                        one(
                                                "    endpoint: http://h/x\n    format: webhook\n"
                                                        + "    secretFile: empty.secret\n")))
                .hasMessageContaining("empty.secret is empty");
    }

    @Test
    void shouldRefuseDuplicateNamesEmptyListsAndUnknownTopLevelKeys() {
        String sub = "  - name: a\n    endpoint: http://h/x\n    format: wecom\n";
        assertThatThrownBy(() -> parse("subscribers:\n" + sub + sub))
                .hasMessageContaining("duplicate name 'a'");
        assertThatThrownBy(() -> parse("subscribers: []\n"))
                .hasMessageContaining("non-empty list 'subscribers:'");
        assertThatThrownBy(() -> parse("subscriber:\n" + sub))
                .hasMessageContaining("unknown key 'subscriber'");
        assertThatThrownBy(() -> parse("subscribers:\n  - name: [a\n"))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> Subscriptions.load(dir.resolve("missing.yaml"), ENV))
                .hasMessageContaining("cannot read");
    }
}
