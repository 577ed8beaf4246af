package io.citypulse.common;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptions;
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
 *
 * <p>One setting is the code's own: object reuse is on unless {@code -Dpipeline.object-reuse=false}
 * (or the local file) says otherwise. It lets chained operators hand records on without copying
 * them (a deep copy of every event between source, gate and counter otherwise), and it is safe
 * because no function of these jobs changes a record it received or emitted, or keeps one that an
 * upstream operator could change (network inputs are always fresh copies).
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
            return withObjectReuse(env, overrides.containsKey(PipelineOptions.OBJECT_REUSE.key()));
        }
        if (env instanceof LocalStreamEnvironment) {
            Configuration local = configuration(confDir, overrides);
            return withObjectReuse(
                    StreamExecutionEnvironment.getExecutionEnvironment(local),
                    local.containsKey(PipelineOptions.OBJECT_REUSE.key()));
        }
        System.err.println(
                "warning: --flink-conf-dir "
                        + confDir
                        + " ignored: running on a cluster, whose configuration applies"
                        + " (-Dkey=value options still override it for this job)");
        return withObjectReuse(env, overrides.containsKey(PipelineOptions.OBJECT_REUSE.key()));
    }

    private static StreamExecutionEnvironment withObjectReuse(
            StreamExecutionEnvironment env, boolean explicitlySet) {
        if (!explicitlySet) {
            env.getConfig().enableObjectReuse();
        }
        return env;
    }
}
