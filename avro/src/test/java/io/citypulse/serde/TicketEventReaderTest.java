package io.citypulse.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.Location;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@link TicketEventReader} against Avro's own decoder ({@link
 * AvroCodec#decodeResolving}) as the oracle: the same record for every value Avro reads, and the
 * same refusal for every value it refuses.
 */
class TicketEventReaderTest {

    private final AvroCodec<TicketEvent> codec = AvroCodec.forType(TicketEvent.class);

    @Test
    void shouldBeWrittenForTheSchemaTheGeneratedClassHas() {
        assertThat(AvroCodec.fingerprint(TicketEvent.getClassSchema()))
                .as("TicketEvent's schema changed: update TicketEventReader for it")
                .isEqualTo(TicketEventReader.WRITTEN_FOR);
        assertThat(codec.currentReader()).isNotNull();
        assertThat(AvroCodec.forType(LeadEvent.class).currentReader()).isNull();
    }

    @Test
    void shouldReadEveryRecordAsAvroDoes() throws Exception {
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            TicketEvent event = randomEvent(random);
            byte[] value = codec.encode(event);
            assertThat(encoded(TicketEventReader.read(value, 10))).isEqualTo(value);
            assertThat(encoded(codec.decodeResolving(value))).isEqualTo(value);
            assertThat(encoded(codec.decode(value))).isEqualTo(value);
        }
    }

    @Test
    void shouldRefuseAndAcceptCorruptBodiesExactlyAsAvroDoes() throws Exception {
        Random random = new Random(5);
        int refused = 0;
        int read = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] value = corrupt(codec.encode(randomEvent(random)), random);
            Object expected = outcome(() -> codec.decodeResolving(value));
            assertThat(outcome(() -> TicketEventReader.read(value, 10)))
                    .as("value %s", Arrays.toString(value))
                    .isEqualTo(expected);
            assertThat(outcome(() -> codec.decode(value))).isEqualTo(expected);
            if (expected instanceof RecordDecodingException.Reason) {
                refused++;
            } else {
                read++;
            }
        }
        // Both kinds of outcome are well represented, so the comparison tested both.
        assertThat(refused).isGreaterThan(5_000);
        assertThat(read).isGreaterThan(5_000);
    }

    @Test
    void shouldReadLenientBooleansAndBadUtf8AsAvroDoes() throws Exception {
        TicketEvent event = randomEvent(new Random(1));
        event.setEventId("e-1");
        event.setExpedited(true);
        event.setDueTime(null);
        event.setSourceLeadId(null);
        event.setLocation(null);
        byte[] value = codec.encode(event);
        // The last bytes: expedited (01), then the null due time, lead id and location (00 each).
        int expedited = value.length - 4;
        assertThat(value[expedited]).isEqualTo((byte) 1);
        value[expedited] = 2; // Avro reads only 1 as true
        assertThat(TicketEventReader.read(value, 10).getExpedited()).isFalse();
        assertThat(codec.decodeResolving(value).getExpedited()).isFalse();

        // A lone continuation byte as the eventId's first character (after its length, 06).
        assertThat(value[10]).isEqualTo((byte) 6);
        value[11] = (byte) 0x80;
        TicketEvent replaced = TicketEventReader.read(value, 10);
        assertThat(replaced.getEventId()).startsWith("\uFFFD");
        assertThat(encoded(replaced)).isEqualTo(encoded(codec.decodeResolving(value)));
    }

    /**
     * The record as the current schema encodes it (records with NaN are not equal to themselves),
     * or the reason it was refused; any other exception fails the test.
     */
    private Object outcome(Decode decode) {
        try {
            return Arrays.toString(encoded(decode.run()));
        } catch (RecordDecodingException e) {
            return e.reason();
        }
    }

    private byte[] encoded(TicketEvent event) {
        return codec.encode(event);
    }

    private interface Decode {
        TicketEvent run() throws RecordDecodingException;
    }

    /**
     * Body bytes changed (set to random values, to varint continuation bytes, to small values),
     * cut, or followed by more; the header is kept, so the body reader is reached.
     */
    private static byte[] corrupt(byte[] value, Random random) {
        byte[] v = value.clone();
        int body = v.length - 10;
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int f = 1 + random.nextInt(3); f > 0; f--) {
                    v[10 + random.nextInt(body)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> v[10 + random.nextInt(body)] = (byte) (0x80 | random.nextInt(128));
            case 2 -> v[10 + random.nextInt(body)] = (byte) random.nextInt(20);
            case 3 -> v = Arrays.copyOf(v, 10 + random.nextInt(body));
            default -> {
                v = Arrays.copyOf(v, v.length + 1 + random.nextInt(8));
                for (int i = value.length; i < v.length; i++) {
                    v[i] = (byte) random.nextInt(256);
                }
            }
        }
        return v;
    }

    private static TicketEvent randomEvent(Random random) {
        TicketEvent e = new TicketEvent();
        e.setEventId(text(random));
        e.setTicketId(text(random));
        e.setType(TicketEventType.values()[random.nextInt(TicketEventType.values().length)]);
        e.setEventTime(Instant.ofEpochMilli(time(random)));
        e.setChannel(text(random));
        e.setCategoryCode(text(random));
        e.setCategoryMajor(text(random));
        e.setDistrict(text(random));
        e.setStreet(random.nextBoolean() ? text(random) : null);
        e.setAgency(random.nextBoolean() ? text(random) : null);
        e.setUrgency(random.nextBoolean() ? Urgency.EMERGENCY : Urgency.GENERAL);
        e.setExpedited(random.nextBoolean());
        e.setDueTime(random.nextBoolean() ? Instant.ofEpochMilli(time(random)) : null);
        e.setSourceLeadId(random.nextBoolean() ? text(random) : null);
        if (random.nextBoolean()) {
            e.setLocation(new Location(number(random), number(random)));
        }
        return e;
    }

    /** Empty, ASCII, CJK and characters outside the BMP; some long enough for 2-byte lengths. */
    private static String text(Random random) {
        int length = random.nextInt(10) == 0 ? 64 + random.nextInt(200) : random.nextInt(16);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> s.append((char) ('a' + random.nextInt(26)));
                case 1 -> s.append((char) ('0' + random.nextInt(10)));
                case 2 -> s.append((char) (0x4E00 + random.nextInt(0x5000)));
                default -> s.appendCodePoint(0x1F300 + random.nextInt(0x100));
            }
        }
        return s.toString();
    }

    /** Times near now, and extreme ones (negative, the largest a long holds). */
    private static long time(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Long.MAX_VALUE - random.nextInt(1000);
            case 1 -> Long.MIN_VALUE + random.nextInt(1000);
            case 2 -> random.nextLong();
            default -> 1_790_000_000_000L + random.nextInt(1_000_000_000);
        };
    }

    private static double number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.NaN;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            default -> (random.nextDouble() - 0.5) * 360;
        };
    }
}
