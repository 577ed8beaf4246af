package io.citypulse.hotspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.records.HotspotRow;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.Tickets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
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
 * RocksDB with incremental checkpoints, checkpointing on. The ticket source is rate-limited per
 * checkpoint, so the job cannot finish without checkpoints completing while windows are open; the
 * job's execution graph then shows the RocksDB backend and the completed checkpoints. Every final
 * count row of every granularity is compared with an oracle computed directly from the input.
 */
class HotspotWorkflowITCase {

    private static final int TICKETS = 3_000;
    private static final int LEADS = 300;
    private static final int GARBAGE_EVERY = 97;
    private static final int RECORDS_PER_CHECKPOINT = 300;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(keepCheckpointHistory())
                            .build());

    /** Keep every checkpoint's statistics, not only the last ten (taken after the input ended). */
    private static Configuration keepCheckpointHistory() {
        Configuration c = new Configuration();
        c.setString("web.checkpoints.history", "10000");
        return c;
    }

    @TempDir java.nio.file.Path checkpoints;

    /** Serializable generator: record {@code i} is the i-th prepared Kafka value, decoded. */
    private static final class PreparedRecords<E> implements GeneratorFunction<Long, E> {
        private final ArrayList<byte[]> values;
        private final KafkaRecordDeserializationSchema<E> schema;

        PreparedRecords(ArrayList<byte[]> values, KafkaRecordDeserializationSchema<E> schema) {
            this.values = values;
            this.schema = schema;
        }

        @Override
        public E map(Long index) throws Exception {
            List<E> out = new ArrayList<>(1);
            schema.deserialize(
                    new ConsumerRecord<>("input", 0, index, null, values.get(index.intValue())),
                    new Collector<>() {
                        @Override
                        public void collect(E record) {
                            out.add(record);
                        }

                        @Override
                        public void close() {}
                    });
            return out.get(0);
        }
    }

    @Test
    @Timeout(300)
    void shouldCountExactlyInEveryWindowWithRocksDbAndCheckpointsInUse(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Random random = new Random(11);
        String[] codes = {"NOISE-CONSTRUCTION", "NOISE-TRAFFIC", "TRAFFIC-ILLEGAL-PARKING"};
        String[] districts = {"Futian", "Nanshan", "Baoan"};
        AvroCodec<TicketEvent> tickets = AvroCodec.forType(TicketEvent.class);
        AvroCodec<LeadEvent> leadCodec = AvroCodec.forType(LeadEvent.class);
        ArrayList<byte[]> ticketValues = new ArrayList<>();
        ArrayList<byte[]> leadValues = new ArrayList<>();
        Map<String, Long> oracle = new HashMap<>();
        int garbage = 0;
        long start = Tickets.BEGINNING.toEpochMilli();
        long span = Duration.ofHours(3).toMillis();
        for (int i = 0; i < TICKETS; i++) {
            if (i % GARBAGE_EVERY == 0) {
                ticketValues.add(new byte[] {1, 2, 3, (byte) i});
                garbage++;
                continue;
            }
            // Three hours of CREATED tickets in time order, each redelivered once in a while.
            long t = start + (long) i * span / TICKETS;
            String code = codes[random.nextInt(codes.length)];
            String district = districts[random.nextInt(districts.length)];
            TicketEvent e =
                    Tickets.event(TicketEventType.CREATED, Instant.ofEpochMilli(t), code, district);
            ticketValues.add(tickets.encode(e));
            if (i % 10 == 3) {
                ticketValues.add(tickets.encode(e)); // a duplicate delivery counts once
            }
            for (Granularity g : Granularity.values()) {
                oracle.merge(
                        "T "
                                + g.suffix()
                                + " "
                                + g.start(t, ZONE)
                                + " "
                                + CountFact.key(e.getCategoryMajor(), code, district, "", "HOTLINE")
                                + " created",
                        1L,
                        Long::sum);
            }
        }
        for (int i = 0; i < LEADS; i++) {
            long t = start + (long) i * span / LEADS;
            LeadEvent lead =
                    LeadEvent.newBuilder()
                            .setEventId("L" + i + "#0")
                            .setLeadId("L" + i)
                            .setType(LeadEventType.CAPTURED)
                            .setEventTime(Instant.ofEpochMilli(t))
                            .setPlatform(i % 2 == 0 ? "DOUYIN" : "WEIBO")
                            .setCategoryCode("NOISE-CONSTRUCTION")
                            .setCategoryMajor("NOISE")
                            .setDistrict("Futian")
                            .setContentFingerprint("fp" + i)
                            .build();
            leadValues.add(leadCodec.encode(lead));
            for (Granularity g : Granularity.values()) {
                oracle.merge(
                        "L "
                                + g.suffix()
                                + " "
                                + g.start(t, ZONE)
                                + " "
                                + CountFact.key(
                                        "NOISE", "NOISE-CONSTRUCTION", "Futian", lead.getPlatform())
                                + " captured",
                        1L,
                        Long::sum);
            }
        }

        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", "100ms");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("restart-strategy.type", "none");
        conf.setString("parallelism.default", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

        HotspotConfig config = TestConfigs.hotspot("--catalogue", "none", "--partial-every", "0s");
        DataGeneratorSource<TicketEnvelope> ticketSource =
                new DataGeneratorSource<>(
                        new PreparedRecords<>(ticketValues, HotspotJob.ticketDeserializer(config)),
                        ticketValues.size(),
                        RateLimiterStrategy.perCheckpoint(RECORDS_PER_CHECKPOINT),
                        TypeInformation.of(TicketEnvelope.class));
        DataGeneratorSource<LeadEnvelope> leadSource =
                new DataGeneratorSource<>(
                        new PreparedRecords<>(leadValues, HotspotJob.leadDeserializer(config)),
                        leadValues.size(),
                        TypeInformation.of(LeadEnvelope.class));
        HotspotJob.Outputs outputs =
                HotspotJob.defineWorkflow(env, ticketSource, leadSource, config);
        CloseableIterator<CountRow> ticketRows = outputs.ticketCounts().collectAsync();
        CloseableIterator<CountRow> leadRows = outputs.leadCounts().collectAsync();
        CloseableIterator<HotspotRow> hotspots = outputs.hotspots().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();

        JobExecutionResult result = env.execute("hotspot-minicluster-test");

        Map<String, Long> actual = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        collectFinal("T", ticketRows, 0, "created", actual, versions);
        collectFinal("L", leadRows, 0, "captured", actual, versions);
        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        List<HotspotRow> ranking = new ArrayList<>();
        hotspots.forEachRemaining(ranking::add);

        assertThat(actual).isEqualTo(oracle);
        assertThat(letters)
                .hasSize(garbage)
                .allSatisfy(d -> assertThat(d.getReason()).isEqualTo("NOT_SINGLE_OBJECT"));
        // A ranking every 5 minutes of the three hours, each city list led by rank 1.
        assertThat(ranking.stream().filter(r -> r.scope.equals("city") && r.rank == 1).count())
                .isEqualTo(span / Duration.ofMinutes(5).toMillis());

        AccessExecutionGraph graph = miniCluster.getExecutionGraph(result.getJobID()).get();
        assertThat(graph.getStateBackendName()).contains("EmbeddedRocksDBStateBackend");
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        assertThat(stats.getCounts().getNumberOfCompletedCheckpoints())
                .as("checkpoints completed while the rate-limited source was running")
                .isGreaterThanOrEqualTo(TICKETS / RECORDS_PER_CHECKPOINT / 2);
        assertThat(
                        stats.getHistory().getCheckpoints().stream()
                                .mapToLong(c -> c.getStateSize())
                                .max()
                                .orElse(0))
                .as("some checkpoint held keyed state")
                .isPositive();
    }

    /** Keeps, per window and key, the non-zero measure of the newest final row. */
    private static void collectFinal(
            String stream,
            CloseableIterator<CountRow> rows,
            int measure,
            String name,
            Map<String, Long> actual,
            Map<String, Long> versions) {
        rows.forEachRemaining(
                r -> {
                    if (!r.isFinal || r.counts[measure] == 0) {
                        return;
                    }
                    String key =
                            stream
                                    + " "
                                    + r.granularity.suffix()
                                    + " "
                                    + r.windowStart
                                    + " "
                                    + r.key
                                    + " "
                                    + name;
                    if (versions.getOrDefault(key, Long.MIN_VALUE) < r.version) {
                        versions.put(key, r.version);
                        actual.put(key, r.counts[measure]);
                    }
                });
    }
}
