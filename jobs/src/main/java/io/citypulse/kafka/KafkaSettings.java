package io.citypulse.kafka;

import io.citypulse.common.Args;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where Kafka is and how to talk to it. Security settings (SASL/SSL) are not options, so secrets
 * never appear on a command line: they come from a client properties file ({@code
 * --kafka-properties FILE} or env {@code KAFKA_CLIENT_PROPERTIES}) and from the environment
 * variables in {@link #ENV_PROPERTIES} (e.g. {@code KAFKA_SASL_JAAS_CONFIG} from a Kubernetes
 * Secret), which override the file. {@link #toString()} never shows a property value.
 *
 * <p>{@code checkTopics}: whether a job's {@code main} checks at start-up that its topics exist
 * ({@link KafkaTopics}); {@code --no-topic-check} turns it off, e.g. to submit from a machine that
 * cannot reach the cluster.
 */
public record KafkaSettings(
        String bootstrapServers, Properties clientProperties, boolean checkTopics)
        implements Serializable {

    /** Settings whose topics are checked at start-up. */
    public KafkaSettings(String bootstrapServers, Properties clientProperties) {
        this(bootstrapServers, clientProperties, true);
    }

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";

    /** Environment variables read as Kafka client properties: {@code KAFKA_} + key in capitals. */
    public static final Map<String, String> ENV_PROPERTIES = envProperties();

    private static Map<String, String> envProperties() {
        Map<String, String> m = new TreeMap<>();
        for (String key :
                new String[] {
                    "security.protocol",
                    "sasl.mechanism",
                    "sasl.jaas.config",
                    "sasl.client.callback.handler.class",
                    "sasl.login.callback.handler.class",
                    "sasl.oauthbearer.token.endpoint.url",
                    "ssl.truststore.location",
                    "ssl.truststore.password",
                    "ssl.truststore.type",
                    "ssl.truststore.certificates",
                    "ssl.keystore.location",
                    "ssl.keystore.password",
                    "ssl.keystore.type",
                    "ssl.keystore.certificate.chain",
                    "ssl.keystore.key",
                    "ssl.key.password",
                    "ssl.endpoint.identification.algorithm"
                }) {
            m.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), key);
        }
        return Map.copyOf(m);
    }

    public static KafkaSettings from(Args args) {
        return from(args, System.getenv());
    }

    /** As {@link #from(Args)}, with the environment the security properties are read from. */
    public static KafkaSettings from(Args args, Map<String, String> env) {
        String bootstrap = args.string("bootstrap", "KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP);
        String file = args.string("kafka-properties", "KAFKA_CLIENT_PROPERTIES", null);
        Properties props = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(Path.of(file))) {
                props.load(in);
            } catch (IOException e) {
                // The file's name only: never its content.
                throw new IllegalArgumentException(
                        "cannot read Kafka client properties " + file + ": " + e, e);
            }
        }
        ENV_PROPERTIES.forEach(
                (var, key) -> {
                    String value = env.get(var);
                    if (value != null && !value.isEmpty()) {
                        props.setProperty(key, value);
                    }
                });
        return new KafkaSettings(bootstrap, props, !args.flag("no-topic-check"));
    }

    /** A copy of the client properties, to hand to a source, sink or client. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    @Override
    public String toString() {
        // Never print the client properties' values: they may hold SASL/SSL passwords.
        return "KafkaSettings{bootstrap="
                + bootstrapServers
                + ", clientProperties="
                + new TreeSet<>(clientProperties.stringPropertyNames())
                + "}";
    }
}
