package io.citypulse.kafka;

import static io.citypulse.testutils.Tickets.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.Tickets;
import io.citypulse.validation.TicketValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TicketDeserializationSchemaTest {

    private final AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);
    private final TicketDeserializationSchema schema =
            new TicketDeserializationSchema("hotspot", new TicketValidator(Duration.ofDays(1)));

    private List<TicketEnvelope> deserialize(byte[] value) {
        List<TicketEnvelope> out = new ArrayList<>();
        schema.deserialize(
                new ConsumerRecord<>("tickets", 3, 42L, "k".getBytes(), value),
                new Collector<>() {
                    @Override
                    public void collect(TicketEnvelope record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    @Test
    void shouldAcceptAValidEventWithItsOrigin() {
        TicketEvent event = Tickets.created(BEGINNING, "NOISE-CONSTRUCTION", "Futian");

        TicketEnvelope e = deserialize(codec.encode(event)).get(0);

        assertThat(e.isAccepted()).isTrue();
        assertThat(e.event).isEqualTo(event);
        assertThat(e.topic).isEqualTo("tickets");
        assertThat(e.partition).isEqualTo(3);
        assertThat(e.offset).isEqualTo(42L);
        assertThat(e.eventTimeMillis()).isEqualTo(BEGINNING.toEpochMilli());
    }

    @Test
    void shouldTurnGarbageIntoADeadLetterKeepingTheOriginalBytes() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        List<TicketEnvelope> out = deserialize(garbage);

        assertThat(out)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.isAccepted()).isFalse();
                            assertThat(e.eventTimeMillis()).isEqualTo(Long.MIN_VALUE);
                            assertThat(e.rejected.getReason()).isEqualTo("NOT_SINGLE_OBJECT");
                            assertThat(e.rejected.getSourceTopic()).isEqualTo("tickets");
                            assertThat(e.rejected.getSourcePartition()).isEqualTo(3);
                            assertThat(e.rejected.getSourceOffset()).isEqualTo(42L);
                            assertThat(e.rejected.getJob()).isEqualTo("hotspot");
                            assertThat(e.rejected.getPayload().array()).isEqualTo(garbage);
                        });
    }

    @Test
    void shouldRejectAnEmptyValue() {
        assertThat(deserialize(null))
                .singleElement()
                .satisfies(e -> assertThat(e.rejected.getReason()).isEqualTo("EMPTY"));
    }

    @Test
    void shouldRejectAbsurdTimesAndUnknownTypesWithTheEventId() {
        TicketEvent future =
                Tickets.created(Instant.now().plus(Duration.ofDays(30)), "X-Y", "Futian");
        TicketEvent ancient =
                Tickets.created(Instant.parse("1999-12-31T23:59:59Z"), "X-Y", "Futian");
        TicketEvent unknown = Tickets.event(TicketEventType.UNKNOWN, BEGINNING, "X-Y", "Futian");

        assertThat(deserialize(codec.encode(future)).get(0).rejected)
                .satisfies(
                        d -> {
                            assertThat(d.getReason()).isEqualTo("INVALID_TIME");
                            assertThat(d.getEventId()).isEqualTo(future.getEventId());
                            assertThat(d.getDetail()).contains("future");
                        });
        assertThat(deserialize(codec.encode(ancient)).get(0).rejected.getReason())
                .isEqualTo("INVALID_TIME");
        assertThat(deserialize(codec.encode(unknown)).get(0).rejected.getReason())
                .isEqualTo("UNKNOWN_TYPE");
    }
}
