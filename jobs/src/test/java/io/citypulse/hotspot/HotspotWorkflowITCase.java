package io.citypulse.hotspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.hotspot.records.TicketCount;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.Tickets;
import io.citypulse.validation.TicketValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
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
 * {@link HotspotJob#defineWorkflow} on a MiniCluster with the configuration a deployment uses:
 * RocksDB with incremental checkpoints, checkpointing on. The source is rate-limited per
 * checkpoint, so the job cannot finish without checkpoints completing while windows are open; the
 * retained checkpoint metadata then shows RocksDB's incremental keyed-state handles.
 */
class HotspotWorkflowITCase {

    private static final int EVENTS = 3_000;
    private static final int GARBAGE_EVERY = 97;
    private static final int RECORDS_PER_CHECKPOINT = 300;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path checkpoints;

    /** Serializable generator: record {@code i} is the i-th prepared Kafka value, decoded. */
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
                                "hotspot", new TicketValidator(Duration.ofDays(1)));
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
    @Timeout(180)
    void shouldCountExactlyWithRocksDbAndCheckpointsInUse(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Random random = new Random(11);
        String[] codes = {"NOISE-CONSTRUCTION", "NOISE-TRAFFIC", "ROADS-POTHOLE", "WATER-OUTAGE"};
        String[] districts = {"Futian", "Nanshan", "Baoan"};
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        ArrayList<byte[]> values = new ArrayList<>();
        Map<String, Long> oracle = new HashMap<>();
        int garbage = 0;
        long start = Tickets.BEGINNING.toEpochMilli();
        for (int i = 0; i < EVENTS; i++) {
            if (i % GARBAGE_EVERY == 0) {
                values.add(new byte[] {1, 2, 3, (byte) i});
                garbage++;
                continue;
            }
            // Two hours of events in time order; one in four is not CREATED and is not counted.
            long t = start + (long) i * Duration.ofHours(2).toMillis() / EVENTS;
            TicketEventType type =
                    i % 4 == 0 ? TicketEventType.DISPATCHED : TicketEventType.CREATED;
            String code = codes[random.nextInt(codes.length)];
            String district = districts[random.nextInt(districts.length)];
            values.add(codec.encode(Tickets.event(type, Instant.ofEpochMilli(t), code, district)));
            if (type == TicketEventType.CREATED) {
                long windowStart = t - Math.floorMod(t, 300_000L);
                oracle.merge(windowStart + "|" + code + "|" + district, 1L, Long::sum);
            }
        }

        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", "100ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        conf.setString("execution.checkpointing.num-retained", "1000");
        conf.setString("restart-strategy.type", "none");
        conf.setString("parallelism.default", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

        DataGeneratorSource<TicketEnvelope> source =
                new DataGeneratorSource<>(
                        new PreparedRecords(values),
                        values.size(),
                        RateLimiterStrategy.perCheckpoint(RECORDS_PER_CHECKPOINT),
                        TypeInformation.of(TicketEnvelope.class));
        HotspotConfig config = TestConfigs.hotspot();
        HotspotJob.Outputs outputs = HotspotJob.defineWorkflow(env, source, config);
        CloseableIterator<TicketCount> counts = outputs.counts().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();

        JobExecutionResult result = env.execute("hotspot-minicluster-test");

        Map<String, Long> actual = new HashMap<>();
        counts.forEachRemaining(
                c ->
                        assertThat(
                                        actual.put(
                                                c.windowStart
                                                        + "|"
                                                        + c.categoryCode
                                                        + "|"
                                                        + c.district,
                                                c.created))
                                .as("one row per window and key")
                                .isNull());
        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        assertThat(actual).isEqualTo(oracle);
        assertThat(letters)
                .hasSize(garbage)
                .allSatisfy(d -> assertThat(d.getReason()).isEqualTo("NOT_SINGLE_OBJECT"));

        AccessExecutionGraph graph = miniCluster.getExecutionGraph(result.getJobID()).get();
        assertThat(graph.getStateBackendName()).contains("EmbeddedRocksDBStateBackend");
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        assertThat(stats.getCounts().getNumberOfCompletedCheckpoints())
                .as("checkpoints completed while the rate-limited source was running")
                .isGreaterThanOrEqualTo(EVENTS / RECORDS_PER_CHECKPOINT / 2);
        assertThat(
                        stats.getHistory().getCheckpoints().stream()
                                .mapToLong(c -> c.getCheckpointedSize())
                                .max()
                                .orElse(0))
                .as("some checkpoint held keyed window state")
                .isPositive();
    }
}
