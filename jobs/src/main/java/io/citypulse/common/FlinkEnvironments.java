package io.citypulse.common;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the execution environment from configuration, never from code: runtime settings (state
 * backend, checkpointing, restart strategy, parallelism) come from the cluster's {@code
 * config.yaml}, or locally from {@code --flink-conf-dir DIR} (scripts/run points it at {@code
 * scripts/conf/flink}), and {@code -Dkey=value} overrides either.
 *
 * <p>Submitted to a cluster ({@code flink run}, scripts/submit, a Kubernetes application
 * deployment), the job finds a context environment that carries the cluster's configuration. That
 * environment wins: the file named by {@code --flink-conf-dir} is ignored there (with a warning),
 * because merged into the job's configuration it would replace the cluster's state backend,
 * checkpoint storage, restart strategy and parallelism with the local ones. Only the explicit
 * {@code -Dkey=value} settings of a run are applied on a cluster, for that job alone.
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
        // Without a context environment (a local run) this is a LocalStreamEnvironment; creating
        // one costs nothing, so the probe is discarded when the local file has to be applied.
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration(null, overrides));
        if (confDir == null) {
            return env;
        }
        if (env instanceof LocalStreamEnvironment) {
            return StreamExecutionEnvironment.getExecutionEnvironment(
                    configuration(confDir, overrides));
        }
        System.err.println(
                "warning: --flink-conf-dir "
                        + confDir
                        + " ignored: running on a cluster, whose configuration applies"
                        + " (-Dkey=value options still override it for this job)");
        return env;
    }
}
