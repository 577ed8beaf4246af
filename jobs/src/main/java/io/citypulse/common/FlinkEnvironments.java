package io.citypulse.common;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the execution environment from configuration, never from code: runtime settings (state
 * backend, checkpointing, restart strategy, parallelism) come from the cluster's {@code
 * config.yaml}, or locally from {@code --flink-conf-dir DIR} (scripts/run points it at {@code
 * scripts/conf/flink}), and {@code -Dkey=value} overrides either.
 */
public final class FlinkEnvironments {

    private FlinkEnvironments() {}

    public static Configuration configuration(String confDir, Map<String, String> overrides) {
        Configuration conf =
                confDir == null
                        ? new Configuration()
                        : GlobalConfiguration.loadConfiguration(confDir);
        overrides.forEach(conf::setString);
        return conf;
    }

    public static StreamExecutionEnvironment create(String confDir, Map<String, String> overrides) {
        return StreamExecutionEnvironment.getExecutionEnvironment(
                configuration(confDir, overrides));
    }
}
