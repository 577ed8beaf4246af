package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes events to the {@code tickets} and {@code leads} topics as the jobs expect them: key = the
 * ticket or lead id (so all events of one entity land in one partition, in order), value = Avro
 * single-object encoding, record timestamp = event time.
 *
 * <p>By default the producer is idempotent with {@code acks=all}, so a retry after a network error
 * neither loses nor duplicates a record and per-key order holds. {@code acks=1} ({@code
 * --kafka-acks 1}) waits only for the partition leader and is not idempotent: faster on a slow
 * disk, but a retry could duplicate or reorder a record. Sends are asynchronous, batched (large
 * batches, lz4) and pipelined; the first failure reported by a callback stops the run at the next
 * send or at {@link #close()}, which flushes, so a run that ends without an error has written
 * everything.
 *
 * <p>With faults on ({@link #deliver}) malformed records are written as their raw bytes to the
 * topic of their kind, keyed like the event they were made from.
 */
public final class KafkaEventSink implements EventSink {

    /** How long to wait for the broker before failing (instead of hanging). */
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(15);

    /** Producer acknowledgements: {@code all} (idempotent, the default) or {@code 1}. */
    public enum Acks {
        ALL("all"),
        LEADER("1");

        private final String config;

        Acks(String config) {
            this.config = config;
        }

        /** {@code all} or {@code 1}, as on the command line and in the producer config. */
        public String config() {
            return config;
        }

        public static Acks parse(String text) {
            for (Acks a : values()) {
                if (a.config.equals(text.strip())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("acks must be 'all' or '1', not '" + text + "'");
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String ticketsTopic;
    private final String leadsTopic;
    private final String bootstrap;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** One callback for every record (not one allocated per send): remembers the first failure. */
    private final Callback onCompletion =
            (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            };

    /** Reused encoding buffer: one copy per record, into the value Kafka keeps. */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

    KafkaEventSink(
            Producer<byte[], byte[]> producer,
            String ticketsTopic,
            String leadsTopic,
            String bootstrap) {
        this.producer = producer;
        this.ticketsTopic = ticketsTopic;
        this.leadsTopic = leadsTopic;
        this.bootstrap = bootstrap;
    }

    /**
     * Connects to the broker and checks that both topics exist, failing within {@code maxBlock}
     * with an explanation when the broker cannot be reached.
     */
    public static KafkaEventSink connect(
            String bootstrap, String ticketsTopic, String leadsTopic, Duration maxBlock) {
        return connect(bootstrap, ticketsTopic, leadsTopic, maxBlock, Acks.ALL);
    }

    /** Like {@link #connect(String, String, String, Duration)}, with the given acknowledgements. */
    public static KafkaEventSink connect(
            String bootstrap,
            String ticketsTopic,
            String leadsTopic,
            Duration maxBlock,
            Acks acks) {
        requireSomeBrokerListening(bootstrap, maxBlock);
        Producer<byte[], byte[]> producer;
        try {
            producer =
                    new KafkaProducer<>(
                            producerProperties(bootstrap, maxBlock, acks),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new SimulationException(
                    "cannot create a Kafka producer for --bootstrap "
                            + bootstrap
                            + ": "
                            + rootMessage(e),
                    e);
        }
        try {
            producer.partitionsFor(ticketsTopic);
            producer.partitionsFor(leadsTopic);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new SimulationException(
                    "no answer from Kafka at "
                            + bootstrap
                            + " for topics '"
                            + ticketsTopic
                            + "' and '"
                            + leadsTopic
                            + "' within "
                            + maxBlock.toSeconds()
                            + " s ("
                            + rootMessage(e)
                            + "). Start the local stack (scripts/stack up), point --bootstrap or"
                            + " KAFKA_BOOTSTRAP at a running broker whose topics exist, or use"
                            + " --no-kafka.",
                    e);
        }
        return new KafkaEventSink(producer, ticketsTopic, leadsTopic, bootstrap);
    }

    /**
     * Fails at once, with one clear line, when no bootstrap address accepts a TCP connection: the
     * producer would otherwise log a warning per retry until {@code max.block.ms} runs out.
     * Addresses it cannot parse are left to the producer to judge.
     */
    private static void requireSomeBrokerListening(String bootstrap, Duration timeout) {
        List<String> refused = new ArrayList<>();
        for (String address : bootstrap.split(",")) {
            String hostPort = address.strip();
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                return;
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                return;
            } catch (IOException e) {
                refused.add(hostPort + " (" + e.getMessage() + ")");
            }
        }
        throw new SimulationException(
                "Kafka is not reachable at "
                        + String.join(", ", refused)
                        + ". Start the local stack (scripts/stack up), point --bootstrap or"
                        + " KAFKA_BOOTSTRAP at a running broker, or use --no-kafka.",
                null);
    }

    static Properties producerProperties(String bootstrap, Duration maxBlock) {
        return producerProperties(bootstrap, maxBlock, Acks.ALL);
    }

    static Properties producerProperties(String bootstrap, Duration maxBlock, Acks acks) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "citypulse-simulate");
        props.put(ProducerConfig.ACKS_CONFIG, acks.config());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(acks == Acks.ALL));
        // Throughput: records are ~200 bytes, so large, compressed batches and up to 5 requests
        // in flight per broker (idempotence keeps their order).
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long blockMs = maxBlock.toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(blockMs));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(blockMs));
        // Must be >= linger.ms + request.timeout.ms; a broker that goes away mid-run fails the run
        // after this long instead of retrying for the default two minutes.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(blockMs * 3));
        return props;
    }

    @Override
    public void ticket(TicketEvent event) throws IOException {
        buffer.reset();
        TicketEvent.getEncoder().encode(event, buffer);
        send(
                ticketsTopic,
                event.getTicketId(),
                event.getEventTime().toEpochMilli(),
                buffer.toByteArray());
    }

    @Override
    public void lead(LeadEvent event) throws IOException {
        buffer.reset();
        LeadEvent.getEncoder().encode(event, buffer);
        send(
                leadsTopic,
                event.getLeadId(),
                event.getEventTime().toEpochMilli(),
                buffer.toByteArray());
    }

    /** Events as usual; a malformed record as its raw bytes, to the topic of its kind. */
    @Override
    public void deliver(Delivery delivery) throws IOException {
        MalformedRecord m = delivery.malformed();
        if (m == null) {
            EventSink.super.deliver(delivery);
            return;
        }
        String topic = m.kind().equals(JsonLines.LEAD) ? leadsTopic : ticketsTopic;
        send(topic, m.key(), m.timestampMs(), m.value());
    }

    private void send(String topic, String key, long timestamp, byte[] value) {
        failIfFailed();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8), value);
        try {
            producer.send(record, onCompletion);
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
            failIfFailed();
        }
    }

    /** Flushes every pending record and closes the producer; fails if any record was lost. */
    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close(DEFAULT_MAX_BLOCK);
        }
        failIfFailed();
    }

    private void failIfFailed() {
        Exception e = failure.get();
        if (e == null) {
            return;
        }
        String hint =
                e instanceof InvalidTimestampException
                        ? " The broker refuses the simulated event times as record timestamps:"
                                + " allow them with log.message.timestamp.before.max.ms /"
                                + " log.message.timestamp.after.max.ms (Kafka 4 rejects"
                                + " timestamps more than 1 h in the future by default)."
                        : "";
        String message = rootMessage(e);
        throw new SimulationException(
                "writing to Kafka at "
                        + bootstrap
                        + " failed: "
                        + message
                        + (message.endsWith(".") ? "" : ".")
                        + hint,
                e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e
                ? String.valueOf(e.getMessage())
                : e.getMessage() + ": " + root.getMessage();
    }
}
