package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.serde.AvroCodec;
import io.citypulse.serde.RecordDecodingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on a day of the city (~65,000 events): every event is still delivered, the faults occur at
 * the configured shares and within their bounds, and the JSON lines mark each of them in delivery
 * order.
 */
class FaultInjectorTest {

    private static final Duration DISORDER = Duration.ofMinutes(3);
    private static final Duration LATE_BY = Duration.ofHours(2);
    private static final FaultSettings FAULTS =
            new FaultSettings(DISORDER, 0.02, 0.01, LATE_BY, 0.005);

    private static CollectingSink ordered;
    private static CollectingSink delivered;

    @BeforeAll
    static void simulateADayWithFaults() {
        ordered = SimulationRuns.collect(21, MONDAY, Duration.ofDays(1), defaults());
        delivered = deliver(21, 21, FAULTS);
    }

    @Test
    void everyEventIsDeliveredOnceAsItselfPlusItsDuplicates() {
        Map<String, Integer> originals = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (Delivery d : delivered.deliveries()) {
            if (d.event() != null) {
                (d.fault() == Fault.DUPLICATE ? copies : originals)
                        .merge(id(d.event()), 1, Integer::sum);
            }
        }
        List<Object> events = ordered.all();
        assertThat(originals).hasSize(events.size());
        assertThat(originals.values()).allMatch(n -> n == 1);
        for (Object e : events) {
            assertThat(originals).containsKey(id(e));
        }
        assertThat(copies.values()).allMatch(n -> n == 1);
        assertThat(originals.keySet()).containsAll(copies.keySet());
    }

    @Test
    void faultsOccurAtTheirConfiguredShares() {
        int events = ordered.all().size();
        long duplicates = count(Fault.DUPLICATE);
        long late = count(Fault.LATE);
        long malformed = count(Fault.MALFORMED);
        // ~65,000 events: one standard deviation is ~0.06 (dup), ~0.04 (late), ~0.03 (malformed)
        // percentage points.
        assertThat((double) late / events).isCloseTo(FAULTS.lateShare(), within(0.002));
        assertThat((double) duplicates / events)
                .isCloseTo(FAULTS.duplicateShare() * (1 - FAULTS.lateShare()), within(0.003));
        assertThat((double) malformed / events).isCloseTo(FAULTS.malformedShare(), within(0.0015));
    }

    @Test
    void deliveryTimesStayWithinTheirBoundsAndDefineTheOrder() {
        long previous = Long.MIN_VALUE;
        long seq = 0;
        Map<String, Long> firstDelivery = new HashMap<>();
        for (Delivery d : delivered.deliveries()) {
            assertThat(d.seq()).isEqualTo(++seq);
            assertThat(d.deliveryTimeMs()).isGreaterThanOrEqualTo(previous);
            previous = d.deliveryTimeMs();
            if (d.event() == null) {
                assertThat(d.deliveryTimeMs() - d.malformed().timestampMs())
                        .isBetween(0L, DISORDER.toMillis());
                continue;
            }
            long lateness = d.deliveryTimeMs() - time(d.event());
            switch (d.fault()) {
                case LATE ->
                        assertThat(lateness)
                                .isBetween(LATE_BY.toMillis(), LATE_BY.toMillis() * 3 / 2);
                case DUPLICATE ->
                        assertThat(d.deliveryTimeMs() - firstDelivery.get(id(d.event())))
                                .isBetween(0L, FaultInjector.DUPLICATE_MAX_DELAY.toMillis());
                default -> {
                    assertThat(lateness).isBetween(0L, DISORDER.toMillis());
                    firstDelivery.put(id(d.event()), d.deliveryTimeMs());
                }
            }
        }
    }

    @Test
    void disorderReallyShufflesEventsButOnlyWithinItsSpan() {
        long overtaken = 0;
        long maxEarlier = 0;
        long latestSeen = Long.MIN_VALUE;
        for (Delivery d : delivered.deliveries()) {
            if (d.event() == null || d.fault() != Fault.NONE) {
                continue;
            }
            long t = time(d.event());
            if (t < latestSeen) {
                overtaken++;
                maxEarlier = Math.max(maxEarlier, latestSeen - t);
            }
            latestSeen = Math.max(latestSeen, t);
        }
        assertThat(overtaken).isGreaterThan(ordered.all().size() / 10);
        assertThat(maxEarlier).isLessThanOrEqualTo(DISORDER.toMillis());
    }

    @Test
    void malformedRecordsAreUndecodableInEveryVariant() {
        AvroCodec<TicketEvent> tickets = AvroCodec.forType(TicketEvent.class);
        AvroCodec<LeadEvent> leads = AvroCodec.forType(LeadEvent.class);
        Map<String, RecordDecodingException.Reason> expectedReason =
                Map.of(
                        "truncated", RecordDecodingException.Reason.MALFORMED,
                        "unknown-schema", RecordDecodingException.Reason.UNKNOWN_SCHEMA,
                        "garbage", RecordDecodingException.Reason.NOT_SINGLE_OBJECT,
                        "json", RecordDecodingException.Reason.NOT_SINGLE_OBJECT,
                        "empty", RecordDecodingException.Reason.EMPTY);
        Set<String> variants = new HashSet<>();
        for (Delivery d : delivered.deliveries()) {
            if (d.malformed() == null) {
                continue;
            }
            MalformedRecord m = d.malformed();
            variants.add(m.variant());
            AvroCodec<? extends SpecificRecordBase> codec =
                    m.kind().equals(JsonLines.TICKET) ? tickets : leads;
            try {
                codec.decode(m.value());
                throw new AssertionError(m.variant() + " record decoded: " + m.key());
            } catch (RecordDecodingException expected) {
                assertThat(expected.reason())
                        .as(m.variant())
                        .isEqualTo(expectedReason.get(m.variant()));
            }
        }
        assertThat(variants).containsExactlyInAnyOrderElementsOf(expectedReason.keySet());
    }

    @Test
    void jsonLinesMarkEveryFaultInDeliveryOrderAndRoundTrip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonLinesSink sink = new JsonLinesSink(bytes)) {
            for (Delivery d : delivered.deliveries()) {
                sink.deliver(d);
            }
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        List<Delivery> deliveries = delivered.deliveries();
        assertThat(lines).hasSize(deliveries.size());
        for (int i = 0; i < lines.length; i++) {
            Delivery d = deliveries.get(i);
            JsonLines.Line line = JsonLines.parseLine(lines[i]);
            assertThat(line.deliverySeq()).isEqualTo(i + 1);
            assertThat(line.fault()).isEqualTo(d.fault());
            assertThat(lines[i].contains("\"fault\"")).isEqualTo(d.fault() != Fault.NONE);
            assertThat(lines[i]).endsWith("\"deliverySeq\":" + (i + 1) + "}");
            if (d.malformed() != null) {
                assertThat(line.malformedValue()).isEqualTo(d.malformed().value());
                assertThat(line.event()).isNull();
            } else {
                assertThat(line.event()).isEqualTo(d.event());
                assertThat(lines[i]).startsWith("{\"kind\":\"" + line.kind() + "\",\"eventId\":");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDeliveriesAndAnotherSeedOtherFaults() {
        assertThat(signature(deliver(21, 21, FAULTS))).isEqualTo(signature(delivered));
        assertThat(signature(deliver(21, 22, FAULTS))).isNotEqualTo(signature(delivered));
    }

    @Test
    void withoutFaultsNothingGoesThroughTheInjector() {
        // A run without faults writes exactly the lines it always did: no deliverySeq, no fault.
        byte[] plain = SimulationRuns.jsonLines(21, MONDAY, Duration.ofHours(2), defaults());
        String text = new String(plain, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("deliverySeq").doesNotContain("\"fault\"");
        assertThat(FaultSettings.NONE.any()).isFalse();
    }

    private static List<String> signature(CollectingSink sink) {
        List<String> out = new ArrayList<>();
        for (Delivery d : sink.deliveries()) {
            out.add(
                    d.seq()
                            + " "
                            + d.fault()
                            + " "
                            + d.deliveryTimeMs()
                            + " "
                            + (d.event() != null
                                    ? id(d.event())
                                    : d.malformed().key() + "/" + d.malformed().variant()));
        }
        return out;
    }

    private long count(Fault fault) {
        return delivered.deliveries().stream().filter(d -> d.fault() == fault).count();
    }

    private static CollectingSink deliver(long seed, long faultSeed, FaultSettings faults) {
        CollectingSink sink = new CollectingSink();
        try (FaultInjector injector = new FaultInjector(faultSeed, faults, sink)) {
            SimulationRuns.run(seed, MONDAY, Duration.ofDays(1), defaults(), injector);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    private static String id(Object event) {
        return event instanceof TicketEvent t ? t.getEventId() : ((LeadEvent) event).getEventId();
    }

    private static long time(Object event) {
        return event instanceof TicketEvent t
                ? t.getEventTime().toEpochMilli()
                : ((LeadEvent) event).getEventTime().toEpochMilli();
    }
}
