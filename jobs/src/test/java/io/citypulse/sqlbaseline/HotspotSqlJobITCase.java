package io.citypulse.sqlbaseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.hotspot.HotspotJob;
import io.citypulse.serde.AvroCodec;
import io.citypulse.testutils.ClickHouseTestDatabase;
import io.citypulse.testutils.KafkaTestTopics;
import io.citypulse.tools.simulate.Simulate;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotspotSqlJob against HotspotJob on the real services. Four simulated hours across local
 * midnight, plus a few hand-made events of their own district, go to fresh topics in event-time
 * order (clean input: nothing late, no orphans; one hand-made event delivered twice, which both
 * jobs must count once). Both jobs run bounded with RocksDB and checkpoints, each into its own
 * ClickHouse database. Every row of every count table must be the same in both, and the hand-made
 * district's rows must be the ones worked out by hand below.
 */
class HotspotSqlJobITCase {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String TICKET_DIMS =
            "category_major, category_code, district, agency, channel";
    private static final String TICKET_MEASURES =
            "created, emergency, expedited, dispatched, returned, accepted, resolved, closed,"
                    + " reopened";
    private static final String LEAD_DIMS = "category_major, category_code, district, platform";
    private static final String LEAD_MEASURES =
            "captured, verified_valid, verified_invalid, converted";

    /** The hand-made events' own district and the ticket channel / lead platform they use. */
    private static final String DISTRICT = "Oracle";

    @TempDir Path tmp;

    @Test
    @Timeout(900)
    void shouldWriteTheSameCountsAsHotspotJob() throws Exception {
        try (KafkaTestTopics kafka = new KafkaTestTopics();
                ClickHouseTestDatabase streamDb = ClickHouseTestDatabase.create("it_hs_stream");
                ClickHouseTestDatabase sqlDb = ClickHouseTestDatabase.create("it_hs_sql")) {
            String simTickets = kafka.create("it-sql-sim-tickets", 1);
            String simLeads = kafka.create("it-sql-sim-leads", 1);
            String tickets = kafka.create("it-sql-tickets", 1);
            String leads = kafka.create("it-sql-leads", 1);
            String deadLetters = kafka.create("it-sql-dead-letters", 1);
            int rc =
                    Simulate.run(
                            new String[] {
                                "--start", "2026-11-02T22:00",
                                "--hours", "4",
                                "--seed", "11",
                                "--tickets-per-hour", "150",
                                "--bootstrap", kafka.bootstrap(),
                                "--tickets-topic", simTickets,
                                "--leads-topic", simLeads
                            },
                            Map.of(),
                            System.out,
                            System.err);
            assertThat(rc).as("simulator exit code").isZero();

            AvroCodec<TicketEvent> ticketCodec = AvroCodec.forType(TicketEvent.class);
            AvroCodec<LeadEvent> leadCodec = AvroCodec.forType(LeadEvent.class);
            List<ConsumerRecord<byte[], byte[]>> simulatedTickets = kafka.readAll(simTickets);
            List<ConsumerRecord<byte[], byte[]>> simulatedLeads = kafka.readAll(simLeads);
            TicketEvent ticketTemplate = ticketCodec.decode(simulatedTickets.get(0).value());
            LeadEvent leadTemplate = leadCodec.decode(simulatedLeads.get(0).value());

            kafka.produce(
                    tickets,
                    inEventTimeOrder(
                            simulatedTickets,
                            handMadeTickets(ticketTemplate).stream()
                                    .map(
                                            e ->
                                                    timed(
                                                            e.getEventTime().toEpochMilli(),
                                                            ticketCodec.encode(e)))
                                    .toList()));
            kafka.produce(
                    leads,
                    inEventTimeOrder(
                            simulatedLeads,
                            handMadeLeads(leadTemplate).stream()
                                    .map(
                                            e ->
                                                    timed(
                                                            e.getEventTime().toEpochMilli(),
                                                            leadCodec.encode(e)))
                                    .toList()));

            HotspotJob.main(jobArgs(kafka, streamDb, tickets, leads, deadLetters, "it-stream"));
            HotspotSqlJob.main(jobArgs(kafka, sqlDb, tickets, leads, deadLetters, "it-sql"));

            int total = 0;
            for (String g : List.of("5m", "1h", "1d")) {
                total +=
                        assertSameRows(
                                streamDb,
                                sqlDb,
                                "ticket_counts_" + g,
                                TICKET_DIMS,
                                TICKET_MEASURES);
                total +=
                        assertSameRows(
                                streamDb, sqlDb, "lead_counts_" + g, LEAD_DIMS, LEAD_MEASURES);
            }
            assertThat(total).as("rows compared").isGreaterThan(500);
            // Day windows align to local midnight: the simulated 22:00-02:00 spans two days.
            assertThat(rows(sqlDb, "ticket_counts_1d", "1", "1", "").stream().distinct())
                    .hasSize(2);

            String own = " WHERE district = '" + DISTRICT + "'";
            for (ClickHouseTestDatabase db : List.of(streamDb, sqlDb)) {
                assertThat(rows(db, "ticket_counts_5m", "agency", TICKET_MEASURES, own))
                        .as(db.name() + " ticket_counts_5m")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T23:55 2026-11-03T00:00 [] 2 1 1 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-03T00:05 [] 1 0 0 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-03T00:05 [Oracle Bureau] 0 0 0 1 0 0 0 0 0");
                assertThat(rows(db, "ticket_counts_1h", "agency", TICKET_MEASURES, own))
                        .as(db.name() + " ticket_counts_1h")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T23:00 2026-11-03T00:00 [] 2 1 1 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-03T01:00 [] 1 0 0 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-03T01:00 [Oracle Bureau] 0 0 0 1 0 0 0 0 0");
                assertThat(rows(db, "ticket_counts_1d", "agency", TICKET_MEASURES, own))
                        .as(db.name() + " ticket_counts_1d")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T00:00 2026-11-03T00:00 [] 2 1 1 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-04T00:00 [] 1 0 0 0 0 0 0 0 0",
                                "2026-11-03T00:00 2026-11-04T00:00 [Oracle Bureau] 0 0 0 1 0 0 0 0 0");
                String ownLeads = " WHERE platform = '" + DISTRICT + "'";
                assertThat(rows(db, "lead_counts_5m", "district", LEAD_MEASURES, ownLeads))
                        .as(db.name() + " lead_counts_5m")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T23:55 2026-11-03T00:00 [] 1 0 0 0",
                                "2026-11-03T00:00 2026-11-03T00:05 [] 0 1 0 0");
                assertThat(rows(db, "lead_counts_1h", "district", LEAD_MEASURES, ownLeads))
                        .as(db.name() + " lead_counts_1h")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T23:00 2026-11-03T00:00 [] 1 0 0 0",
                                "2026-11-03T00:00 2026-11-03T01:00 [] 0 1 0 0");
                assertThat(rows(db, "lead_counts_1d", "district", LEAD_MEASURES, ownLeads))
                        .as(db.name() + " lead_counts_1d")
                        .containsExactlyInAnyOrder(
                                "2026-11-02T00:00 2026-11-03T00:00 [] 1 0 0 0",
                                "2026-11-03T00:00 2026-11-04T00:00 [] 0 1 0 0");
            }
            assertThat(sqlDb.queryLong("SELECT count() FROM rejected_events FINAL"))
                    .as("clean input: nothing rejected")
                    .isZero();
        }
    }

    /**
     * Three tickets around local midnight of 2026-11-02 (Asia/Shanghai): A (emergency, expedited)
     * CREATED 23:58:30 and DISPATCHED 00:01 to "Oracle Bureau"; B CREATED 23:59:59.999, delivered
     * twice; C CREATED 00:04:59. By hand: the 23:55 window and the 23:00 hour and the first day
     * hold A and B (created 2, emergency 1, expedited 1, agency empty); the 00:00 window, hour and
     * the second day hold C (created 1) and A's dispatch under its agency.
     */
    private static List<TicketEvent> handMadeTickets(TicketEvent template) {
        TicketEvent a =
                ticket(template, "oracle-a", 0, TicketEventType.CREATED, "2026-11-02T23:58:30");
        a.setUrgency(Urgency.EMERGENCY);
        a.setExpedited(true);
        TicketEvent aDispatched =
                ticket(template, "oracle-a", 1, TicketEventType.DISPATCHED, "2026-11-03T00:01:00");
        aDispatched.setAgency("Oracle Bureau");
        TicketEvent b =
                ticket(template, "oracle-b", 0, TicketEventType.CREATED, "2026-11-02T23:59:59.999");
        TicketEvent c =
                ticket(template, "oracle-c", 0, TicketEventType.CREATED, "2026-11-03T00:04:59");
        return List.of(a, aDispatched, b, TicketEvent.newBuilder(b).build(), c);
    }

    private static TicketEvent ticket(
            TicketEvent template, String id, int step, TicketEventType type, String localTime) {
        return TicketEvent.newBuilder(template)
                .setTicketId(id)
                .setEventId(id + "#" + step)
                .setType(type)
                .setEventTime(LocalDateTime.parse(localTime).atZone(ZONE).toInstant())
                .setDistrict(DISTRICT)
                .setChannel(DISTRICT)
                .setAgency(null)
                .setUrgency(Urgency.GENERAL)
                .setExpedited(false)
                .build();
    }

    /**
     * One lead that could not be located (no district): CAPTURED 23:59 local, VERIFIED_VALID 00:02.
     * By hand: captured 1 on the first day's last window, verified_valid 1 on the second day's
     * first, both with an empty district.
     */
    private static List<LeadEvent> handMadeLeads(LeadEvent template) {
        return List.of(
                lead(template, 0, LeadEventType.CAPTURED, "2026-11-02T23:59:00"),
                lead(template, 1, LeadEventType.VERIFIED_VALID, "2026-11-03T00:02:00"));
    }

    private static LeadEvent lead(
            LeadEvent template, int step, LeadEventType type, String localTime) {
        return LeadEvent.newBuilder(template)
                .setLeadId("oracle-lead")
                .setEventId("oracle-lead#" + step)
                .setType(type)
                .setEventTime(LocalDateTime.parse(localTime).atZone(ZONE).toInstant())
                .setDistrict(null)
                .setPlatform(DISTRICT)
                .build();
    }

    private record Timed(long time, byte[] value) {}

    private static Timed timed(long time, byte[] value) {
        return new Timed(time, value);
    }

    /** Simulated records (record timestamp = event time) and extra ones, by event time. */
    private static List<byte[]> inEventTimeOrder(
            List<ConsumerRecord<byte[], byte[]>> simulated, List<Timed> extra) {
        List<Timed> all = new ArrayList<>(extra);
        simulated.forEach(r -> all.add(new Timed(r.timestamp(), r.value())));
        // Stable: the duplicate stays after its original.
        all.sort(Comparator.comparingLong(Timed::time));
        return all.stream().map(Timed::value).toList();
    }

    /**
     * Every row of a table (FINAL), as "start end [dims] measures" with local window bounds,
     * sorted; all must be final.
     */
    private static List<String> rows(
            ClickHouseTestDatabase db, String table, String dims, String measures, String where)
            throws Exception {
        String sql =
                "SELECT toString(toTimezone(window_start, 'Asia/Shanghai')) AS ws,"
                        + " toString(toTimezone(window_end, 'Asia/Shanghai')) AS we,"
                        + " concat_ws(' ', "
                        + dims
                        + ") AS d, concat_ws(' ', "
                        + measures.replaceAll("(\\w+)", "toString($1)")
                        + ") AS m, is_final FROM "
                        + table
                        + " FINAL"
                        + where;
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : db.query(sql)) {
            assertThat(((Number) r.get("is_final")).intValue()).as("final: " + r).isEqualTo(1);
            out.add(
                    local(r.get("ws"))
                            + " "
                            + local(r.get("we"))
                            + " ["
                            + r.get("d")
                            + "] "
                            + r.get("m"));
        }
        return out.stream().sorted().collect(Collectors.toList());
    }

    /**
     * The same rows in both databases; reports the first differences rather than both tables.
     *
     * @return the number of rows compared
     */
    private static int assertSameRows(
            ClickHouseTestDatabase streamDb,
            ClickHouseTestDatabase sqlDb,
            String table,
            String dims,
            String measures)
            throws Exception {
        List<String> stream = rows(streamDb, table, dims, measures, "");
        List<String> sql = rows(sqlDb, table, dims, measures, "");
        java.util.Set<String> inStream = new java.util.HashSet<>(stream);
        java.util.Set<String> inSql = new java.util.HashSet<>(sql);
        List<String> differences = new ArrayList<>();
        stream.stream()
                .filter(r -> !inSql.contains(r))
                .limit(5)
                .forEach(r -> differences.add("only HotspotJob:    " + r));
        sql.stream()
                .filter(r -> !inStream.contains(r))
                .limit(5)
                .forEach(r -> differences.add("only HotspotSqlJob: " + r));
        assertThat(differences).as(table + " (" + stream.size() + " rows)").isEmpty();
        assertThat(sql).as(table).hasSameSizeAs(stream);
        return stream.size();
    }

    /** "2026-11-02 23:55:00.000" as "2026-11-02T23:55". */
    private static String local(Object clickHouseTime) {
        String s = clickHouseTime.toString().replace(' ', 'T');
        return LocalDateTime.parse(s.length() > 19 ? s.substring(0, 19) : s).toString();
    }

    private String[] jobArgs(
            KafkaTestTopics kafka,
            ClickHouseTestDatabase clickHouse,
            String tickets,
            String leads,
            String deadLetters,
            String group) {
        return new String[] {
            "--bounded",
            "--bootstrap",
            kafka.bootstrap(),
            "--tickets-topic",
            tickets,
            "--leads-topic",
            leads,
            "--dead-letter-topic",
            deadLetters,
            "--group-id",
            group,
            "--clickhouse-url",
            clickHouse.settings().url(),
            "--clickhouse-database",
            clickHouse.name(),
            "--sink-batch-rows",
            "2000",
            "-Dstate.backend.type=rocksdb",
            "-Dexecution.checkpointing.interval=2s",
            "-Dexecution.checkpointing.dir=" + tmp.resolve("checkpoints-" + group).toUri(),
            "-Dparallelism.default=2",
            "-Drestart-strategy.type=none"
        };
    }
}
