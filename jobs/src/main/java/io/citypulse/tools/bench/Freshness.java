package io.citypulse.tools.bench;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import io.citypulse.clickhouse.ClickHouseSettings;
import io.citypulse.common.Args;
import io.citypulse.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Freshness of the live partial rows: how long after an event is appended to Kafka the row that
 * counts it is visible in ClickHouse, under a fixed sustained input rate.
 *
 * <p>Writes CREATED ticket events with event time = now at {@code --rate} events/s for {@code
 * --seconds}. Once a second (after {@code --warmup}) one of them is a probe: a ticket in a district
 * of its own ({@code probe-N}), so the first moment a {@code ticket_counts_5m} row for that
 * district exists is the moment that event became visible. A poller asks ClickHouse every {@code
 * --poll} which probes are visible. Freshness of a probe = first seen − just before its send (an
 * upper bound: it includes the poll interval). Prints p50/p99/max and writes JSON to {@code
 * --json}.
 */
public final class Freshness {

    static final String USAGE =
            """
            usage: Freshness [options]   (run by scripts/bench freshness; needs a running HotspotJob)
              --bootstrap HOST:PORT   Kafka (default $KAFKA_BOOTSTRAP, else 127.0.0.1:19092)
              --topic NAME            ticket topic the job reads (default bench-live-tickets)
              --rate N                events per second (default 5000)
              --seconds N             how long to write (default 180)
              --warmup N              seconds before the first probe (default 30)
              --poll DURATION         ClickHouse poll interval (default 200ms)
              --drain DURATION        how long to wait for the last probes (default 60s)
              --clickhouse-url URL / --clickhouse-database DB (or CLICKHOUSE_URL, CLICKHOUSE_DATABASE)
              --json FILE             write the figures as JSON
            """;

    private Freshness() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, System.getenv());
        if (args.flag("help")) {
            System.out.println(USAGE);
            return;
        }
        String bootstrap = args.string("bootstrap", "KAFKA_BOOTSTRAP", "127.0.0.1:19092");
        String topic = args.string("topic", "bench-live-tickets");
        int rate = args.integer("rate", 5000);
        int seconds = args.integer("seconds", 180);
        int warmup = args.integer("warmup", 30);
        Duration poll = args.duration("poll", Duration.ofMillis(200));
        Duration drain = args.duration("drain", Duration.ofSeconds(60));
        String json = args.string("json", null);
        ClickHouseSettings clickHouse = ClickHouseSettings.from(args);
        args.rejectUnknown();
        if (rate <= 0 || seconds <= warmup) {
            throw new IllegalArgumentException("need --rate > 0 and --seconds > --warmup");
        }

        Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
        Map<Integer, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> poll(clickHouse, poll, sentAt, seenAt, polling), "poller");
        poller.setDaemon(true);
        poller.start();

        long sent = produce(bootstrap, topic, rate, seconds, warmup, sentAt);

        long drainUntil = System.currentTimeMillis() + drain.toMillis();
        while (seenAt.size() < sentAt.size() && System.currentTimeMillis() < drainUntil) {
            LockSupport.parkNanos(poll.toNanos());
        }
        polling.set(false);
        poller.join(10_000);

        List<Long> delays = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : sentAt.entrySet()) {
            Long seen = seenAt.get(e.getKey());
            if (seen != null) {
                delays.add(seen - e.getValue());
            }
        }
        Collections.sort(delays);
        int missing = sentAt.size() - delays.size();
        String result =
                String.format(
                        java.util.Locale.ROOT,
                        "{\"rate\":%d,\"achievedRate\":%.1f,\"seconds\":%d,\"probes\":%d,"
                                + "\"missing\":%d,\"p50Ms\":%d,\"p99Ms\":%d,\"maxMs\":%d,"
                                + "\"pollMs\":%d}",
                        rate,
                        sent / (double) seconds,
                        seconds,
                        sentAt.size(),
                        missing,
                        percentile(delays, 0.50),
                        percentile(delays, 0.99),
                        delays.isEmpty() ? -1 : delays.get(delays.size() - 1),
                        poll.toMillis());
        System.out.println(result);
        if (json != null) {
            Files.writeString(Path.of(json), result + "\n", StandardCharsets.UTF_8);
        }
        if (missing > 0) {
            System.err.println(missing + " probe(s) never became visible");
            System.exit(1);
        }
    }

    static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static long produce(
            String bootstrap,
            String topic,
            int rate,
            int seconds,
            int warmup,
            Map<Integer, Long> sentAt) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<CatalogueItem> items = Catalogue.load().items();
        String[] districts = {
            "Futian",
            "Luohu",
            "Yantian",
            "Nanshan",
            "Baoan",
            "Longgang",
            "Longhua",
            "Pingshan",
            "Guangming",
            "Dapeng"
        };
        AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
        SplittableRandom random = new SplittableRandom(7);
        String run = Long.toString(System.currentTimeMillis(), 36);
        long start = System.nanoTime();
        long sent = 0;
        int probes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            // Paced in 10 ms steps: by step k, k * rate / 100 events have been sent.
            for (int step = 0; step < seconds * 100; step++) {
                long due = start + step * 10_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long target = (long) (step + 1) * rate / 100;
                boolean probeStep = step >= warmup * 100 && step % 100 == 0;
                while (sent < target) {
                    CatalogueItem item = items.get(random.nextInt(items.size()));
                    String district = districts[random.nextInt(districts.length)];
                    Integer probe = null;
                    if (probeStep && sent == target - 1) {
                        probe = probes++;
                        district = "probe-" + probe;
                    }
                    String id = run + "-" + sent;
                    TicketEvent event =
                            TicketEvent.newBuilder()
                                    .setEventId(id + "-c")
                                    .setTicketId(id)
                                    .setType(TicketEventType.CREATED)
                                    .setEventTime(Instant.now())
                                    .setChannel("HOTLINE")
                                    .setCategoryCode(item.code())
                                    .setCategoryMajor(item.major())
                                    .setDistrict(district)
                                    .setUrgency(Urgency.GENERAL)
                                    .build();
                    if (probe != null) {
                        sentAt.put(probe, System.currentTimeMillis());
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    null,
                                    event.getEventTime().toEpochMilli(),
                                    id.getBytes(StandardCharsets.UTF_8),
                                    codec.encode(event)));
                    sent++;
                }
            }
            producer.flush();
        }
        return sent;
    }

    private static void poll(
            ClickHouseSettings clickHouse,
            Duration every,
            Map<Integer, Long> sentAt,
            Map<Integer, Long> seenAt,
            AtomicBoolean polling) {
        String sql = "SELECT DISTINCT district FROM ticket_counts_5m WHERE district LIKE 'probe-%'";
        Connection connection = null;
        while (polling.get()) {
            try {
                if (connection == null) {
                    connection = clickHouse.connect();
                }
                long now = System.currentTimeMillis();
                try (Statement st = connection.createStatement();
                        ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        int probe = Integer.parseInt(rs.getString(1).substring(6));
                        if (sentAt.containsKey(probe)) {
                            seenAt.putIfAbsent(probe, now);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                System.err.println("poll failed: " + e.getMessage());
                connection = null;
            }
            LockSupport.parkNanos(every.toNanos());
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // closing at the end; nothing to do
        }
    }
}
