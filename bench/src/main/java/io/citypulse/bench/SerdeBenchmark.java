package io.citypulse.bench;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.kafka.LeadDeserializationSchema;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketDeserializationSchema;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.kafka.TicketEnvelopeSerializer;
import io.citypulse.serde.AvroCodec;
import io.citypulse.serde.RecordDecodingException;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.TicketValidator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The first thing every record meets: Avro single-object decoding ({@link AvroCodec}: a ticket of
 * the current schema through its hand-written reader, against Avro's resolving decoder; a lead
 * through Avro's) and the whole Kafka deserialization schema the sources use (decode, validate
 * against the catalogue, wrap in an envelope); then the shuffle from the source to the lifecycle
 * gate, which serializes the envelope and deserializes it on the other side: with the serializer
 * Flink picks for its type (a POJO serializer with Avro's for the event: the baseline, what the
 * jobs used before) and with {@link TicketEnvelopeSerializer} (field by field, what they use now).
 * One operation = one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerdeBenchmark {

    private AvroCodec<TicketEvent> ticketCodec;
    private AvroCodec<LeadEvent> leadCodec;
    private BinaryMessageDecoder<TicketEvent> avroTicketDecoder;
    private List<TicketEvent> tickets;
    private byte[][] ticketBytes;
    private byte[][] leadBytes;
    private ConsumerRecord<byte[], byte[]>[] ticketRecords;
    private ConsumerRecord<byte[], byte[]>[] leadRecords;
    private TicketDeserializationSchema ticketSchema;
    private LeadDeserializationSchema leadSchema;
    private TicketEnvelope[] envelopes;
    private TypeSerializer<TicketEnvelope> envelopeSerializer;
    private TypeSerializer<TicketEnvelope> fieldSerializer;
    private final DataOutputSerializer shuffleOut = new DataOutputSerializer(1024);
    private final DataInputDeserializer shuffleIn = new DataInputDeserializer();
    private int i;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        ticketCodec = AvroCodec.forType(TicketEvent.class);
        leadCodec = AvroCodec.forType(LeadEvent.class);
        avroTicketDecoder =
                new BinaryMessageDecoder<>(SpecificData.get(), TicketEvent.getClassSchema());
        tickets = BenchEvents.tickets(BenchEvents.POOL, 1);
        List<LeadEvent> leads = BenchEvents.leads(BenchEvents.POOL, 2);
        ticketBytes = new byte[BenchEvents.POOL][];
        leadBytes = new byte[BenchEvents.POOL][];
        ticketRecords = new ConsumerRecord[BenchEvents.POOL];
        leadRecords = new ConsumerRecord[BenchEvents.POOL];
        for (int n = 0; n < BenchEvents.POOL; n++) {
            ticketBytes[n] = ticketCodec.encode(tickets.get(n));
            leadBytes[n] = leadCodec.encode(leads.get(n));
            ticketRecords[n] = new ConsumerRecord<>("tickets", 0, n, null, ticketBytes[n]);
            leadRecords[n] = new ConsumerRecord<>("leads", 0, n, null, leadBytes[n]);
        }
        ticketSchema =
                new TicketDeserializationSchema(
                        "bench", new TicketValidator(Duration.ofDays(1), BenchEvents.knownCodes()));
        envelopes = new TicketEnvelope[BenchEvents.POOL];
        for (int n = 0; n < BenchEvents.POOL; n++) {
            envelopes[n] = TicketEnvelope.accepted(tickets.get(n), "tickets", 0, n);
        }
        envelopeSerializer =
                TypeInformation.of(TicketEnvelope.class)
                        .createSerializer(new SerializerConfigImpl());
        fieldSerializer =
                TicketEnvelopeSerializer.TYPE.createSerializer(new SerializerConfigImpl());
        leadSchema =
                new LeadDeserializationSchema(
                        "bench", new LeadValidator(Duration.ofDays(1), BenchEvents.knownCodes()));
    }

    private int next() {
        i = (i + 1) & (BenchEvents.POOL - 1);
        return i;
    }

    @Benchmark
    public TicketEvent decodeTicket() throws RecordDecodingException {
        return ticketCodec.decode(ticketBytes[next()]);
    }

    /**
     * The baseline of {@link #decodeTicket}: Avro's own single-object decoder (its resolving
     * decoder, what the codec used for every record before its hand-written ticket reader).
     */
    @Benchmark
    public TicketEvent decodeTicketWithAvrosDecoder() throws java.io.IOException {
        return avroTicketDecoder.decode(ticketBytes[next()]);
    }

    @Benchmark
    public LeadEvent decodeLead() throws RecordDecodingException {
        return leadCodec.decode(leadBytes[next()]);
    }

    @Benchmark
    public byte[] encodeTicket() {
        return ticketCodec.encode(tickets.get(next()));
    }

    @Benchmark
    public void deserializeTicketRecord(Blackhole bh) {
        ticketSchema.deserialize(ticketRecords[next()], new Sink<TicketEnvelope>(bh));
    }

    @Benchmark
    public void deserializeLeadRecord(Blackhole bh) {
        leadSchema.deserialize(leadRecords[next()], new Sink<LeadEnvelope>(bh));
    }

    /**
     * One ticket envelope through the POJO serializer Flink picks for the type and back (the
     * baseline: the jobs' shuffle before {@link TicketEnvelopeSerializer}).
     */
    @Benchmark
    public TicketEnvelope shuffleTicketEnvelope() throws java.io.IOException {
        return through(envelopeSerializer);
    }

    /** One ticket envelope through {@link TicketEnvelopeSerializer} and back, as source to gate. */
    @Benchmark
    public TicketEnvelope shuffleTicketEnvelopeFieldByField() throws java.io.IOException {
        return through(fieldSerializer);
    }

    private TicketEnvelope through(TypeSerializer<TicketEnvelope> serializer)
            throws java.io.IOException {
        shuffleOut.clear();
        serializer.serialize(envelopes[next()], shuffleOut);
        shuffleIn.setBuffer(shuffleOut.getSharedBuffer(), 0, shuffleOut.length());
        return serializer.deserialize(shuffleIn);
    }

    /** Hands every collected record to the blackhole (escape analysis removes the allocation). */
    private static final class Sink<T> implements Collector<T> {
        private final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void collect(T record) {
            bh.consume(record);
        }

        @Override
        public void close() {}
    }
}
