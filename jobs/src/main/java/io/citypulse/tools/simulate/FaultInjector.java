package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Turns the simulator's event-time-ordered stream into a delivered stream with faults ({@link
 * FaultSettings}): disorder, duplicates, late events and malformed records. Every record leaves
 * through {@link EventSink#deliver} with its {@link Fault} and its place in the delivery order, so
 * the JSON lines (written in that order) account for every fault.
 *
 * <p>Each event is given a delivery time (event time + disorder jitter, or + the lateness for a
 * late one); records leave in (delivery time, arrival) order. Since events arrive in event-time
 * order and no delivery time is before its event time, everything queued with a delivery time up to
 * the current event's time is final and leaves before it: the queue holds only the disorder span
 * and the late events, never the run.
 *
 * <p>The faults of an event depend only on the seed and its eventId (its own random stream), not on
 * the rest of the run.
 */
final class FaultInjector implements EventSink {

    static final long STREAM = 0xFA017L;

    /** A duplicate follows its original within this delay (a producer retry, a redelivery). */
    static final Duration DUPLICATE_MAX_DELAY = Duration.ofMinutes(5);

    private static final String[] VARIANTS = {
        "truncated", "unknown-schema", "garbage", "json", "empty"
    };
    private static final int HEADER_BYTES = 10; // C3 01 + 8-byte schema fingerprint

    private final long seed;
    private final FaultSettings faults;
    private final EventSink out;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(1 << 10);
    private long arrivals;
    private long delivered;
    private long duplicates;
    private long late;
    private long malformed;

    FaultInjector(long seed, FaultSettings faults, EventSink out) {
        this.seed = seed;
        this.faults = faults;
        this.out = out;
    }

    @Override
    public void ticket(TicketEvent event) throws IOException {
        accept(
                event,
                event.getEventTime().toEpochMilli(),
                event.getEventId(),
                JsonLines.TICKET,
                event.getTicketId());
    }

    @Override
    public void lead(LeadEvent event) throws IOException {
        accept(
                event,
                event.getEventTime().toEpochMilli(),
                event.getEventId(),
                JsonLines.LEAD,
                event.getLeadId());
    }

    private void accept(Object event, long time, String eventId, String kind, String key)
            throws IOException {
        releaseUpTo(time);
        Rng rng = Rng.derive(seed, STREAM, eventId.hashCode(), eventId.length());
        // Every draw is made for every event, so one fault setting never shifts another's draws.
        boolean isLate = rng.chance(faults.lateShare());
        long lateDelay = Math.round(faults.lateBy().toMillis() * (1 + 0.5 * rng.nextDouble()));
        long jitter = (long) (rng.nextDouble() * faults.disorder().toMillis());
        boolean isDuplicate = rng.chance(faults.duplicateShare()) && !isLate;
        long duplicateDelay = (long) (rng.nextDouble() * DUPLICATE_MAX_DELAY.toMillis());
        boolean isMalformed = rng.chance(faults.malformedShare());
        long deliveryTime = isLate ? time + lateDelay : time + jitter;
        if (isMalformed) {
            MalformedRecord record = malformed(event, kind, key, time, rng);
            queue.add(new Pending(time + jitter, arrivals++, Fault.MALFORMED, null, record));
            malformed++;
        }
        queue.add(
                new Pending(
                        deliveryTime, arrivals++, isLate ? Fault.LATE : Fault.NONE, event, null));
        if (isLate) {
            late++;
        }
        if (isDuplicate) {
            queue.add(
                    new Pending(
                            deliveryTime + duplicateDelay,
                            arrivals++,
                            Fault.DUPLICATE,
                            event,
                            null));
            duplicates++;
        }
    }

    private void releaseUpTo(long time) throws IOException {
        while (!queue.isEmpty() && queue.peek().deliveryTime() <= time) {
            Pending p = queue.poll();
            out.deliver(
                    new Delivery(
                            ++delivered, p.deliveryTime(), p.fault(), p.event(), p.malformed()));
        }
    }

    /** An undecodable record made from the event (so it looks like it belongs in its topic). */
    static MalformedRecord malformed(Object event, String kind, String key, long time, Rng rng) {
        String variant = VARIANTS[rng.nextInt(VARIANTS.length)];
        byte[] encoded = encode(event);
        byte[] value =
                switch (variant) {
                    case "truncated" ->
                            Arrays.copyOf(
                                    encoded,
                                    HEADER_BYTES + rng.nextInt(encoded.length - HEADER_BYTES));
                    case "unknown-schema" -> {
                        byte[] v = encoded.clone();
                        for (int i = 2; i < HEADER_BYTES; i++) {
                            v[i] = (byte) rng.nextInt(256);
                        }
                        yield v;
                    }
                    case "garbage" -> {
                        byte[] v = new byte[12 + rng.nextInt(53)];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (byte) rng.nextInt(256);
                        }
                        if (v[0] == (byte) 0xC3) {
                            v[0] = 0; // never a single-object marker by chance
                        }
                        yield v;
                    }
                    case "json" -> event.toString().getBytes(StandardCharsets.UTF_8);
                    default -> new byte[0];
                };
        return new MalformedRecord(kind, key, time, variant, value);
    }

    private static byte[] encode(Object event) {
        try {
            ByteBuffer buffer =
                    event instanceof TicketEvent ticket
                            ? TicketEvent.getEncoder().encode(ticket)
                            : LeadEvent.getEncoder().encode((LeadEvent) event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + event, e);
        }
    }

    /** Delivers what is still held back (late events last), then closes the sink. */
    @Override
    public void close() throws IOException {
        try {
            releaseUpTo(Long.MAX_VALUE);
        } finally {
            out.close();
        }
    }

    long duplicates() {
        return duplicates;
    }

    long late() {
        return late;
    }

    long malformed() {
        return malformed;
    }

    /** A record waiting for its delivery time; ties leave in arrival order. */
    private record Pending(
            long deliveryTime, long arrival, Fault fault, Object event, MalformedRecord malformed)
            implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(deliveryTime, o.deliveryTime);
            return c != 0 ? c : Long.compare(arrival, o.arrival);
        }
    }
}
