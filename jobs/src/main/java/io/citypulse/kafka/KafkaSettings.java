package io.citypulse.kafka;

import io.citypulse.common.Args;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where Kafka is and how to talk to it. Security settings (SASL/SSL) are not options: they come
 * from a client properties file ({@code --kafka-properties FILE} or env {@code
 * KAFKA_CLIENT_PROPERTIES}) so secrets never appear on a command line or in logs.
 */
public record KafkaSettings(String bootstrapServers, Properties clientProperties)
        implements Serializable {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";

    public static KafkaSettings from(Args args) {
        String bootstrap = args.string("bootstrap", "KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP);
        String file = args.string("kafka-properties", "KAFKA_CLIENT_PROPERTIES", null);
        Properties props = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(Path.of(file))) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read Kafka client properties " + file, e);
            }
        }
        return new KafkaSettings(bootstrap, props);
    }

    /** A copy of the client properties, to hand to a source, sink or client. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    @Override
    public String toString() {
        // Never print the client properties: they may hold SASL passwords.
        return "KafkaSettings{bootstrap="
                + bootstrapServers
                + ", clientProperties="
                + clientProperties.size()
                + " entries}";
    }
}
