package io.citypulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.common.Args;
import io.citypulse.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where Kafka SASL/SSL settings and ClickHouse credentials come from, and that none is printed. */
class SecretSettingsTest {

    @TempDir Path dir;

    @Test
    void shouldTakeKafkaSecurityPropertiesFromTheEnvironment() {
        KafkaSettings kafka =
                KafkaSettings.from(
                        Args.parse(new String[0], Map.of()),
                        Map.of(
                                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                                "KAFKA_SASL_JAAS_CONFIG", "x required password=\"s3cret-jaas\";",
                                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "s3cret-ts",
                                "KAFKA_SOMETHING_ELSE", "ignored"));
        assertThat(kafka.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "x required password=\"s3cret-jaas\";")
                .containsEntry("ssl.truststore.password", "s3cret-ts")
                .hasSize(4);
        assertThat(kafka.toString())
                .contains("sasl.jaas.config", "ssl.truststore.password")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldLetTheEnvironmentOverrideThePropertiesFile() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file, "security.protocol=SSL\nssl.keystore.password=s3cret-ks\nclient.id=cp\n");
        KafkaSettings kafka =
                KafkaSettings.from(
                        Args.parse(new String[] {"--kafka-properties", file.toString()}, Map.of()),
                        Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        assertThat(kafka.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.keystore.password", "s3cret-ks")
                .containsEntry("client.id", "cp");
        assertThat(kafka.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldNameEveryEnvironmentVariableAfterItsKafkaKey() {
        assertThat(KafkaSettings.ENV_PROPERTIES)
                .containsEntry("KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config")
                .containsEntry("KAFKA_SSL_KEY_PASSWORD", "ssl.key.password")
                .doesNotContainKeys("KAFKA_BOOTSTRAP", "KAFKA_CLIENT_PROPERTIES");
        KafkaSettings.ENV_PROPERTIES.forEach(
                (var, key) ->
                        assertThat(var)
                                .isEqualTo(
                                        "KAFKA_"
                                                + key.toUpperCase(java.util.Locale.ROOT)
                                                        .replace('.', '_')));
    }

    @Test
    void shouldRefuseAnUnreadablePropertiesFileWithoutShowingItsContent() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(
                        () ->
                                KafkaSettings.from(
                                        Args.parse(
                                                new String[] {
                                                    "--kafka-properties", missing.toString()
                                                },
                                                Map.of()),
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void shouldTakeTheClickHousePasswordFromTheEnvironmentOrAFile() throws Exception {
        Args none = Args.parse(new String[0], Map.of("CLICKHOUSE_USER", "citypulse"));
        ClickHouseSettings fromEnv =
                ClickHouseSettings.from(none, Map.of("CLICKHOUSE_PASSWORD", "s3cret-env"));
        assertThat(fromEnv.user()).isEqualTo("citypulse");
        assertThat(fromEnv.password()).isEqualTo("s3cret-env");
        assertThat(fromEnv.toString()).contains("password=(set)").doesNotContain("s3cret");

        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret-file\n");
        ClickHouseSettings fromFile =
                ClickHouseSettings.from(
                        Args.parse(
                                new String[] {"--clickhouse-password-file", file.toString()},
                                Map.of()),
                        Map.of("CLICKHOUSE_PASSWORD", "s3cret-env"));
        assertThat(fromFile.password()).as("the file wins").isEqualTo("s3cret-file");
        assertThat(fromFile.jdbcProperties()).containsEntry("password", "s3cret-file");
        assertThat(ClickHouseSettings.from(none, Map.of()).toString()).contains("password=(none)");
    }

    @Test
    void shouldRefuseAPasswordOnTheCommandLine() {
        assertThatThrownBy(
                        () ->
                                io.citypulse.hotspot.HotspotConfig.from(
                                        Args.parse(
                                                new String[] {"--clickhouse-password", "x"},
                                                Map.of())))
                .hasMessageContaining("unknown option(s): --clickhouse-password");
    }
}
