package io.citypulse.bench;

import io.citypulse.counts.CountFact;
import io.citypulse.counts.CountRow;
import io.citypulse.counts.CountRows;
import io.citypulse.counts.Granularity;
import io.citypulse.hotspot.functions.TicketFacts;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
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
 * {@link CountRows#bind}: a count row as the parameters of the sink's insert (key split into its
 * dimension columns, measures, flags). The statement is a recording stand-in (a dynamic proxy that
 * hands every parameter to the blackhole), so the JDBC driver's own encoding and the HTTP write are
 * not included; the proxy's reflective dispatch is, and makes this a lower bound. One operation =
 * one ticket_counts row (16 parameters).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CountRowsBenchmark {

    private CountRows rows;
    private CountRow[] pool;
    private PreparedStatement statement;
    private int i;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        rows = new CountRows("ticket_counts_5m", TicketFacts.DIMENSIONS, TicketFacts.MEASURES);
        pool = new CountRow[1024];
        for (int n = 0; n < pool.length; n++) {
            long[] counts = new long[TicketFacts.MEASURES.size()];
            for (int m = 0; m < counts.length; m++) {
                counts[m] = (n * 7L + m) % 13;
            }
            String key =
                    CountFact.key(
                            "NOISE",
                            "NOISE-CONSTRUCTION-" + (n % 35),
                            BenchEvents.DISTRICTS[n % BenchEvents.DISTRICTS.length],
                            n % 3 == 0 ? "" : "Urban Management Bureau " + (n % 40),
                            BenchEvents.CHANNELS[n % BenchEvents.CHANNELS.length]);
            pool[n] =
                    new CountRow(
                            Granularity.FIVE_MINUTES,
                            BenchEvents.START + n * 300_000L,
                            BenchEvents.START + (n + 1) * 300_000L,
                            key,
                            counts,
                            n % 2 == 0,
                            n);
        }
        statement =
                (PreparedStatement)
                        Proxy.newProxyInstance(
                                PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                (proxy, method, args) -> {
                                    if (args != null && args.length == 2) {
                                        bh.consume(args[1]);
                                    }
                                    return null;
                                });
    }

    @Benchmark
    public void bindTicketCountRow() throws Exception {
        i = (i + 1) & (pool.length - 1);
        rows.bind(statement, pool[i]);
    }
}
