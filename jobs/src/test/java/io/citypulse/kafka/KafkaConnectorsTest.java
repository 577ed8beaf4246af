package io.citypulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.common.Args;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer properties every source gets. */
class KafkaConnectorsTest {

    @TempDir Path dir;

    private static KafkaSettings settings(String... args) {
        return KafkaSettings.from(Args.parse(args, Map.of()), Map.of());
    }

    @Test
    void shouldFetchAt64KibPerPartitionByDefaultSoNoPartitionRunsHoursAhead() {
        KafkaSettings kafka = settings();
        Properties props = KafkaConnectors.sourceProperties(kafka);
        assertThat(props).containsEntry("max.partition.fetch.bytes", "65536");
        // The settings themselves are not changed: the sink and the admin client share them.
        assertThat(kafka.properties()).doesNotContainKey("max.partition.fetch.bytes");
    }

    @Test
    void shouldLetTheClientPropertiesChooseTheFetchSizeAndKeepTheirOtherSettings()
            throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "max.partition.fetch.bytes=1048576\nclient.rack=rack-a\n");
        Properties props =
                KafkaConnectors.sourceProperties(settings("--kafka-properties", file.toString()));
        assertThat(props)
                .containsEntry("max.partition.fetch.bytes", "1048576")
                .containsEntry("client.rack", "rack-a");
    }
}
