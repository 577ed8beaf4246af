package io.citypulse.tools.bench;

import io.citypulse.common.Args;
import io.citypulse.common.FlinkEnvironments;
import io.citypulse.hotspot.HotspotConfig;
import io.citypulse.kafka.KafkaConnectors;
import io.citypulse.kafka.KafkaTopics;
import io.citypulse.kafka.LeadDeserializationSchema;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.TicketValidator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The machine's reference for scripts/bench ({@code bench-read}): reads the ticket and lead topics
 * bounded and decodes and validates every record exactly as the jobs' sources do (Kafka consumer,
 * Avro, checks), then discards the events: no state, no shuffle, no ClickHouse. Its events/s is the
 * ceiling of any job reading these topics with these settings on this machine; the jobs' figures
 * are read against it. Takes HotspotJob's options (topics, endpoints, -D settings).
 */
public final class ReadCeiling {

    private static final String JOB = "bench-read";

    private ReadCeiling() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(
                    "usage: Main bench-read [hotspot options]   (used by scripts/bench: reads and"
                            + " decodes the topics, --bounded, and discards the events)");
            return;
        }
        HotspotConfig config = HotspotConfig.from(args);
        KafkaTopics.requireExisting(
                config.kafka(),
                "--tickets-topic",
                config.ticketsTopic(),
                "--leads-topic",
                config.leadsTopic());
        StreamExecutionEnvironment env =
                FlinkEnvironments.create(config.flinkConfDir(), config.flinkSettings());
        env.fromSource(
                        KafkaConnectors.source(
                                config.kafka(),
                                config.ticketsTopic(),
                                config.groupId(),
                                true,
                                new TicketDeserializationSchema(
                                        JOB,
                                        new TicketValidator(
                                                config.maxFuture(), config.knownCodes()))),
                        WatermarkStrategy.noWatermarks(),
                        "tickets")
                .uid("tickets-source")
                .sinkTo(new DiscardingSink<>())
                .name("discard-tickets")
                .uid("discard-tickets");
        env.fromSource(
                        KafkaConnectors.source(
                                config.kafka(),
                                config.leadsTopic(),
                                config.groupId(),
                                true,
                                new LeadDeserializationSchema(
                                        JOB,
                                        new LeadValidator(
                                                config.maxFuture(), config.knownCodes()))),
                        WatermarkStrategy.noWatermarks(),
                        "leads")
                .uid("leads-source")
                .sinkTo(new DiscardingSink<>())
                .name("discard-leads")
                .uid("discard-leads");
        env.execute("CityPulse read ceiling (bounded)");
    }
}
