package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.common.Args;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import io.citypulse.sla.records.AgencyDaily;
import io.citypulse.sla.records.SlaBreach;
import io.citypulse.tools.simulate.CollectingSink;
import io.citypulse.tools.simulate.Simulate;
import io.citypulse.tools.simulate.SimulateConfig;
import io.citypulse.validation.TicketValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SlaJob#defineWorkflow} on a MiniCluster as deployed (parallelism 2, RocksDB, checkpoints)
 * over three simulated days, delivered shuffled (within the watermark's bound) and with duplicates,
 * compared with {@link SlaOracle}. No external services: this is the end-to-end check of ordering,
 * deduplication and the end-of-input rule across subtasks; the Kafka/ClickHouse path is {@code
 * SlaSimulatedWeekITCase}.
 */
class SlaWorkflowITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    /** Record {@code i} is the i-th prepared Kafka value, decoded by the job's own schema. */
    private static final class PreparedRecords implements GeneratorFunction<Long, TicketEnvelope> {
        private final ArrayList<byte[]> values;
        private transient TicketDeserializationSchema schema;

        PreparedRecords(ArrayList<byte[]> values) {
            this.values = values;
        }

        @Override
        public TicketEnvelope map(Long index) {
            if (schema == null) {
                schema =
                        new TicketDeserializationSchema(
                                "sla", new TicketValidator(Duration.ofDays(3650)));
            }
            TicketEnvelope[] out = new TicketEnvelope[1];
            schema.deserialize(
                    new ConsumerRecord<>("tickets", 0, index, null, values.get(index.intValue())),
                    new Collector<>() {
                        @Override
                        public void collect(TicketEnvelope record) {
                            out[0] = record;
                        }

                        @Override
                        public void close() {}
                    });
            return out[0];
        }
    }

    @Test
    @Timeout(300)
    void shouldMatchTheOracleWithShuffledDuplicatedInputOnTwoSubtasks(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        CollectingSink simulated = new CollectingSink();
        Simulate.simulate(
                SimulateConfig.parse(
                        new String[] {
                            "--start",
                            "2026-11-02",
                            "--days",
                            "3",
                            "--seed",
                            "20261102",
                            "--tickets-per-hour",
                            "30",
                            "--no-kafka"
                        },
                        Map.of()),
                simulated);
        List<TicketEvent> tickets = new ArrayList<>(simulated.tickets());
        assertThat(tickets).hasSizeGreaterThan(5_000);
        // The simulator dispatches every ticket; a few never dispatched make DISPATCH OPEN certain.
        tickets.addAll(SlaResults.neverDispatched(tickets, 4));

        // Delivery order: event time plus up to 50 s of jitter (inside the 1-minute watermark
        // bound, so nothing is late, yet a ticket's events can swap), and 2% redelivered.
        Random random = new Random(7);
        record Delivery(double at, TicketEvent event) {}
        List<Delivery> deliveries = new ArrayList<>();
        for (TicketEvent e : tickets) {
            long t = e.getEventTime().toEpochMilli();
            deliveries.add(new Delivery(t + random.nextDouble() * 50_000, e));
            if (random.nextInt(50) == 0) {
                deliveries.add(new Delivery(t + random.nextDouble() * 50_000, e));
            }
        }
        deliveries.sort(Comparator.comparingDouble(Delivery::at));
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        ArrayList<byte[]> values = new ArrayList<>();
        deliveries.forEach(d -> values.add(codec.encode(d.event())));

        SlaOracle.Result expected =
                SlaOracle.compute(
                        tickets.stream().map(SlaResults::oracleEvent).toList(),
                        SlaResults.oracleLimits(),
                        ZoneId.of("Asia/Shanghai"));

        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "200ms");
        conf.setString("execution.checkpointing.dir", dir.resolve("cp").toUri().toString());
        conf.setString("restart-strategy.type", "none");
        conf.setString("parallelism.default", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DataGeneratorSource<TicketEnvelope> source =
                new DataGeneratorSource<>(
                        new PreparedRecords(values),
                        values.size(),
                        RateLimiterStrategy.perCheckpoint(values.size() / 6),
                        TypeInformation.of(TicketEnvelope.class));
        SlaConfig config =
                SlaConfig.from(
                        Args.parse(
                                new String[] {
                                    "--bounded",
                                    "--sla-limits",
                                    SlaResults.writeLimits(dir).toString(),
                                    "--closed-grace",
                                    "8d",
                                    "--agency-emit-interval",
                                    "1h"
                                },
                                Map.of()));
        SlaJob.Outputs outputs = SlaJob.defineWorkflow(env, source, config);
        CloseableIterator<SlaBreach> breaches = outputs.breaches().collectAsync();
        CloseableIterator<AgencyDaily> days = outputs.agencyDaily().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();

        JobExecutionResult result = env.execute("sla-minicluster-test");

        Map<String, SlaBreach> latest = new HashMap<>();
        breaches.forEachRemaining(
                b -> {
                    SlaBreach before = latest.put(SlaOracle.key(b.ticketId, b.slaKind), b);
                    if (before != null) {
                        assertThat(b.version)
                                .as("versions of %s %s increase", b.ticketId, b.slaKind)
                                .isGreaterThan(before.version);
                    }
                });
        Map<String, AgencyDaily> latestDays = new HashMap<>();
        days.forEachRemaining(
                d ->
                        latestDays.merge(
                                SlaOracle.key(d.day, d.agency),
                                d,
                                (a, b) -> a.version > b.version ? a : b));
        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);

        Map<String, SlaOracle.Breach> actualBreaches = new HashMap<>();
        latest.forEach((k, b) -> actualBreaches.put(k, SlaResults.asOracleRow(b)));
        Map<String, SlaOracle.Day> actualDays = new HashMap<>();
        latestDays.forEach((k, d) -> actualDays.put(k, SlaResults.asOracleRow(d)));

        assertThat(expected.breaches().values())
                .as("the data has breaches of every kind and status to check")
                .extracting(b -> b.kind() + " " + b.status())
                .contains(
                        "DISPATCH OPEN",
                        "DISPATCH FULFILLED_LATE",
                        "RESOLUTION OPEN",
                        "RESOLUTION FULFILLED_LATE");
        assertThat(expected.breaches()).hasSizeGreaterThan(50);
        assertThat(expected.days()).hasSizeGreaterThan(20);
        SlaResults.assertSameRows("sla_breaches", actualBreaches, expected.breaches());
        SlaResults.assertSameRows("agency_daily", actualDays, expected.days());
        assertThat(letters).isEmpty();
        assertThat(
                        miniCluster
                                .getExecutionGraph(result.getJobID())
                                .get()
                                .getCheckpointStatsSnapshot()
                                .getCounts()
                                .getNumberOfCompletedCheckpoints())
                .as("checkpoints completed while the job ran")
                .isPositive();
    }
}
