package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What the Kafka sink sends, checked against a mock producer (the lead's ITCase uses a broker). */
class KafkaEventSinkTest {

    @Test
    void sendsEachEventKeyedByItsEntityWithEventTimeAndSingleObjectAvro() throws IOException {
        MockProducer<byte[], byte[]> producer = mockProducer(true);
        CollectingSink expected = new CollectingSink();
        try (EventSink sink =
                new TeeSink(List.of(expected, new KafkaEventSink(producer, "t", "l", "test")))) {
            SimulationRuns.run(3, MONDAY, Duration.ofHours(6), defaults(), sink);
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(expected.all().size());
        assertThat(producer.closed()).isTrue();
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> record = sent.get(i);
            Object event = expected.all().get(i);
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (event instanceof TicketEvent ticket) {
                assertThat(record.topic()).isEqualTo("t");
                assertThat(key).isEqualTo(ticket.getTicketId());
                assertThat(record.timestamp()).isEqualTo(ticket.getEventTime().toEpochMilli());
                assertThat(TicketEvent.getDecoder().decode(record.value())).isEqualTo(ticket);
            } else {
                LeadEvent lead = (LeadEvent) event;
                assertThat(record.topic()).isEqualTo("l");
                assertThat(key).isEqualTo(lead.getLeadId());
                assertThat(record.timestamp()).isEqualTo(lead.getEventTime().toEpochMilli());
                assertThat(record.value()).isEqualTo(bytes(lead.toByteBuffer()));
            }
        }
    }

    @Test
    void aFailedSendFailsTheRunWithAnExplanation() throws IOException {
        MockProducer<byte[], byte[]> producer = mockProducer(false);
        KafkaEventSink sink = new KafkaEventSink(producer, "t", "l", "test:1");
        CollectingSink one = SimulationRuns.collect(3, MONDAY, Duration.ofMinutes(30), defaults());
        sink.ticket(one.tickets().get(0));
        producer.errorNext(new InvalidTimestampException("timestamp out of range"));
        assertThatThrownBy(() -> sink.ticket(one.tickets().get(1)))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("writing to Kafka at test:1 failed")
                .hasMessageContaining("log.message.timestamp.after.max.ms");
    }

    @Test
    void anUnreachableBrokerFailsFastInsteadOfHanging() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free now, and nothing listens on it
        }
        String bootstrap = "127.0.0.1:" + closedPort;
        long started = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                KafkaEventSink.connect(
                                        bootstrap, "tickets", "leads", Duration.ofSeconds(1)))
                .isInstanceOf(SimulationException.class)
                .hasMessageContaining("Kafka is not reachable at " + bootstrap)
                .hasMessageContaining("--no-kafka");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aListeningPortThatIsNotKafkaFailsWithinTheBlockingTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts connections, never answers
            String bootstrap = "127.0.0.1:" + silent.getLocalPort();
            long started = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    KafkaEventSink.connect(
                                            bootstrap, "tickets", "leads", Duration.ofSeconds(1)))
                    .isInstanceOf(SimulationException.class)
                    .hasMessageContaining("no answer from Kafka at " + bootstrap)
                    .hasMessageContaining("within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void producerIsIdempotentWithAllAcksAndBoundedBlocking() {
        var props = KafkaEventSink.producerProperties("b:1", Duration.ofSeconds(15));
        assertThat(props)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    @Test
    void writesDeliveriesInTheirOrderAndMalformedRecordsAsTheirRawBytes() throws IOException {
        MockProducer<byte[], byte[]> producer = mockProducer(true);
        CollectingSink delivered = new CollectingSink();
        FaultSettings faults =
                new FaultSettings(Duration.ofMinutes(2), 0.05, 0.05, Duration.ofHours(1), 0.05);
        KafkaEventSink kafka = new KafkaEventSink(producer, "t", "l", "test");
        // Closing the injector flushes what it holds back and closes the sinks behind it.
        try (FaultInjector injector =
                new FaultInjector(3, faults, new TeeSink(List.of(delivered, kafka)))) {
            SimulationRuns.run(3, MONDAY, Duration.ofHours(3), defaults(), injector);
        }
        assertThat(producer.closed()).isTrue();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        List<Delivery> deliveries = delivered.deliveries();
        assertThat(sent).hasSize(deliveries.size());
        assertThat(deliveries).anyMatch(d -> d.malformed() != null);
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> record = sent.get(i);
            Delivery d = deliveries.get(i);
            if (d.malformed() != null) {
                MalformedRecord m = d.malformed();
                assertThat(record.topic()).isEqualTo(m.kind().equals("ticket") ? "t" : "l");
                assertThat(record.value()).isEqualTo(m.value());
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(m.key());
                assertThat(record.timestamp()).isEqualTo(m.timestampMs());
            } else if (d.event() instanceof TicketEvent ticket) {
                assertThat(record.topic()).isEqualTo("t");
                assertThat(TicketEvent.getDecoder().decode(record.value())).isEqualTo(ticket);
            } else {
                assertThat(record.topic()).isEqualTo("l");
                assertThat(LeadEvent.getDecoder().decode(record.value())).isEqualTo(d.event());
            }
        }
    }

    @Test
    void leaderOnlyAcksAreNotIdempotentButStillBatchedAndPipelined() {
        var props =
                KafkaEventSink.producerProperties(
                        "b:1", Duration.ofSeconds(15), KafkaEventSink.Acks.LEADER);
        assertThat(props)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    }

    private static MockProducer<byte[], byte[]> mockProducer(boolean autoComplete) {
        return new MockProducer<>(
                autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
