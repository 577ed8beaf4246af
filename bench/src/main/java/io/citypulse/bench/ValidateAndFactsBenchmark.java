package io.citypulse.bench;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.counts.CountFact;
import io.citypulse.hotspot.functions.LeadFacts;
import io.citypulse.hotspot.functions.TicketFacts;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.validation.LeadValidator;
import io.citypulse.validation.Problem;
import io.citypulse.validation.TicketValidator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-event work between the source and the shuffle: validation (fields, time window, catalogue
 * code lookup) and the mapping of an event to its {@link CountFact} (dimension key string + measure
 * bits). One operation = one event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ValidateAndFactsBenchmark {

    private TicketEvent[] tickets;
    private LeadEvent[] leads;
    private TicketEnvelope[] ticketEnvelopes;
    private LeadEnvelope[] leadEnvelopes;
    private TicketValidator ticketValidator;
    private LeadValidator leadValidator;
    private final TicketFacts ticketFacts = new TicketFacts();
    private final LeadFacts leadFacts = new LeadFacts();
    private long now;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        List<TicketEvent> t = BenchEvents.tickets(BenchEvents.POOL, 1);
        List<LeadEvent> l = BenchEvents.leads(BenchEvents.POOL, 2);
        tickets = t.toArray(new TicketEvent[0]);
        leads = l.toArray(new LeadEvent[0]);
        ticketEnvelopes = new TicketEnvelope[tickets.length];
        leadEnvelopes = new LeadEnvelope[leads.length];
        for (int n = 0; n < tickets.length; n++) {
            ticketEnvelopes[n] = TicketEnvelope.accepted(tickets[n], "tickets", 0, n);
            leadEnvelopes[n] = LeadEnvelope.accepted(leads[n], "leads", 0, n);
        }
        ticketValidator = new TicketValidator(Duration.ofDays(1), BenchEvents.knownCodes());
        leadValidator = new LeadValidator(Duration.ofDays(1), BenchEvents.knownCodes());
        now = BenchEvents.START + Duration.ofDays(2).toMillis();
    }

    private int next() {
        i = (i + 1) & (BenchEvents.POOL - 1);
        return i;
    }

    @Benchmark
    public Problem validateTicket() {
        return ticketValidator.check(tickets[next()], now);
    }

    @Benchmark
    public Problem validateLead() {
        return leadValidator.check(leads[next()], now);
    }

    @Benchmark
    public CountFact ticketFacts() {
        return ticketFacts.map(ticketEnvelopes[next()]);
    }

    @Benchmark
    public CountFact leadFacts() {
        return leadFacts.map(leadEnvelopes[next()]);
    }
}
