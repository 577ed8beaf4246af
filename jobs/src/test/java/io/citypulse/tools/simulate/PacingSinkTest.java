package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --speedup pacing, on a fake clock: simulated time runs F times faster than the wall clock. */
class PacingSinkTest {

    private static final long START = MONDAY.toEpochMilli();

    /** A clock that only moves when someone sleeps or works. */
    private static final class FakeClock implements PacingSink.Clock {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void waitsUntilEachEventsScaledTimeHasCome() throws IOException {
        FakeClock clock = new FakeClock();
        long wallStart = clock.now;
        CollectingSink out = new CollectingSink();
        List<Long> wallAtDelivery = new ArrayList<>();
        EventSink recorder = new TeeSink(List.of(out, new WallRecorder(clock, wallAtDelivery)));
        try (PacingSink pacer = new PacingSink(recorder, 60, START, clock)) {
            for (long offsetSeconds : new long[] {0, 60, 120, 121, 121, 3600}) {
                pacer.ticket(ticket(START + offsetSeconds * 1000));
            }
        }
        // At x60 a simulated minute takes a wall second, an hour a minute.
        assertThat(wallAtDelivery)
                .containsExactly(
                        wallStart,
                        wallStart + 1_000_000_000L,
                        wallStart + 2_000_000_000L,
                        wallStart + 2_016_666_666L,
                        wallStart + 2_016_666_666L,
                        wallStart + 60_000_000_000L);
        assertThat(out.tickets()).hasSize(6);
    }

    @Test
    void aSlowSinkIsNotMadeSlowerItCatchesUpWithoutSleeping() throws IOException {
        FakeClock clock = new FakeClock();
        List<Long> times = new ArrayList<>();
        EventSink slow = new SlowSink(clock, times);
        try (PacingSink pacer = new PacingSink(slow, 1, START, clock)) {
            for (int i = 0; i < 10; i++) {
                pacer.ticket(ticket(START + i * 1000L)); // one per simulated second
            }
        }
        assertThat(clock.sleeps).isEmpty();
        assertThat(times).hasSize(10);
    }

    @Test
    void pacesDeliveriesByTheirDeliveryTimeSoLateEventsArriveLate() throws IOException {
        FakeClock clock = new FakeClock();
        CollectingSink out = new CollectingSink();
        try (PacingSink pacer = new PacingSink(out, 3600, START, clock)) {
            TicketEvent event = ticket(START);
            pacer.deliver(new Delivery(1, START, Fault.NONE, event, null));
            pacer.deliver(new Delivery(2, START + 3 * 3_600_000L, Fault.LATE, event, null));
        }
        // Three simulated hours late at x3600 is three wall seconds.
        assertThat(clock.sleeps).containsExactly(3_000_000_000L);
        assertThat(out.deliveries()).hasSize(2);
    }

    @Test
    void aPacedSimulationKeepsItsEventsAndTakesLengthOverSpeedup() throws IOException {
        FakeClock clock = new FakeClock();
        long wallStart = clock.now;
        CollectingSink paced = new CollectingSink();
        try (PacingSink pacer = new PacingSink(paced, 600, START, clock)) {
            SimulationRuns.run(5, MONDAY, Duration.ofHours(2), defaults(), pacer);
        }
        CollectingSink unpaced = SimulationRuns.collect(5, MONDAY, Duration.ofHours(2), defaults());
        assertThat(paced.all()).isEqualTo(unpaced.all());
        // Two hours at x600 is 12 s of wall time, up to the last event.
        assertThat((clock.now - wallStart) / 1e9).isCloseTo(12.0, within(0.1));
    }

    @Test
    void rejectsANonPositiveSpeedup() {
        assertThatThrownBy(() -> new PacingSink(new CollectingSink(), 0, START, new FakeClock()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Records the fake wall time at which each event arrives. */
    private static class WallRecorder implements EventSink {
        final FakeClock clock;
        final List<Long> times;

        WallRecorder(FakeClock clock, List<Long> times) {
            this.clock = clock;
            this.times = times;
        }

        @Override
        public void ticket(TicketEvent event) {
            times.add(clock.now);
        }

        @Override
        public void lead(io.citypulse.avro.LeadEvent event) {
            times.add(clock.now);
        }

        @Override
        public void close() {}
    }

    /** A sink whose every write takes 5 s of wall time. */
    private static final class SlowSink extends WallRecorder {
        SlowSink(FakeClock clock, List<Long> times) {
            super(clock, times);
        }

        @Override
        public void ticket(TicketEvent event) {
            clock.now += 5_000_000_000L;
            super.ticket(event);
        }
    }

    private static TicketEvent ticket(long time) {
        return new TicketEvent(
                "T-1#" + time,
                "T-1",
                TicketEventType.CREATED,
                Instant.ofEpochMilli(time),
                "HOTLINE",
                "NOISE-CONSTRUCTION",
                "NOISE",
                "Futian",
                null,
                null,
                Urgency.GENERAL,
                false,
                null,
                null,
                null);
    }
}
