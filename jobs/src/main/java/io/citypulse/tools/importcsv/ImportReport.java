package io.citypulse.tools.importcsv;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * What an import did, for the summary at the end and for tests: rows read, imported and rejected
 * (per reason, with the first few rejections in full), events written per type, and how many local
 * times daylight saving time made ambiguous.
 */
final class ImportReport {

    private final int rejectionsKept;
    private long rowsRead;
    private long rowsImported;
    private long dstGaps;
    private long dstOverlaps;
    private long firstEventMs = Long.MAX_VALUE;
    private long lastEventMs = Long.MIN_VALUE;
    private final Map<String, Long> rejectedByReason = new LinkedHashMap<>();
    private final List<Rejection> firstRejections = new ArrayList<>();
    private final Map<TicketEventType, Long> ticketEvents = new EnumMap<>(TicketEventType.class);
    private final Map<LeadEventType, Long> leadEvents = new EnumMap<>(LeadEventType.class);

    /**
     * @param rejectionsKept how many rejections to keep in full for the summary
     */
    ImportReport(int rejectionsKept) {
        this.rejectionsKept = rejectionsKept;
    }

    void rowRead() {
        rowsRead++;
    }

    void imported(RowConverter.Converted row) {
        rowsImported++;
        dstGaps += row.dstGaps();
        dstOverlaps += row.dstOverlaps();
    }

    void rejected(Rejection rejection) {
        rejectedByReason.merge(rejection.reason(), 1L, Long::sum);
        if (firstRejections.size() < rejectionsKept) {
            firstRejections.add(rejection);
        }
    }

    void written(SpecificRecord event) {
        long time;
        if (event instanceof TicketEvent ticket) {
            ticketEvents.merge(ticket.getType(), 1L, Long::sum);
            time = ticket.getEventTime().toEpochMilli();
        } else {
            LeadEvent lead = (LeadEvent) event;
            leadEvents.merge(lead.getType(), 1L, Long::sum);
            time = lead.getEventTime().toEpochMilli();
        }
        firstEventMs = Math.min(firstEventMs, time);
        lastEventMs = Math.max(lastEventMs, time);
    }

    long rowsRead() {
        return rowsRead;
    }

    long rowsImported() {
        return rowsImported;
    }

    long rowsRejected() {
        return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rejected rows per reason, in the order reasons first occurred. */
    Map<String, Long> rejectedByReason() {
        return Collections.unmodifiableMap(rejectedByReason);
    }

    List<Rejection> firstRejections() {
        return Collections.unmodifiableList(firstRejections);
    }

    long ticketEvents(TicketEventType type) {
        return ticketEvents.getOrDefault(type, 0L);
    }

    long leadEvents(LeadEventType type) {
        return leadEvents.getOrDefault(type, 0L);
    }

    long eventsWritten() {
        return ticketEvents.values().stream().mapToLong(Long::longValue).sum()
                + leadEvents.values().stream().mapToLong(Long::longValue).sum();
    }

    long dstGaps() {
        return dstGaps;
    }

    long dstOverlaps() {
        return dstOverlaps;
    }

    /** The rejections kept in full, one per line, and how many more there were. */
    String rejectionLines() {
        StringBuilder out = new StringBuilder();
        for (Rejection rejection : firstRejections) {
            out.append("rejected ").append(rejection).append('\n');
        }
        long more = rowsRejected() - firstRejections.size();
        if (more > 0) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "... and %,d more rejected rows (--rejects FILE lists them all)%n",
                            more));
        }
        return out.toString();
    }

    /**
     * The summary: rows, rejections per reason (most frequent first), events per type, the span of
     * their event times (old exports carry old times: worth seeing before they land in a topic),
     * rate.
     *
     * @param zone the zone to show event times in (the export's)
     */
    String summary(Duration wallTime, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        line(out, "rows read", rowsRead);
        line(out, "rows imported", rowsImported);
        line(out, "rows rejected", rowsRejected());
        rejectedByReason.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> line(out, "  " + e.getKey(), e.getValue()));
        line(out, "events written", eventsWritten());
        ticketEvents.forEach((type, n) -> line(out, "  " + type, n));
        leadEvents.forEach((type, n) -> line(out, "  " + type, n));
        if (eventsWritten() > 0) {
            DateTimeFormatter format =
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-28s %s .. %s (%s)%n",
                            "event times",
                            format.format(Instant.ofEpochMilli(firstEventMs)),
                            format.format(Instant.ofEpochMilli(lastEventMs)),
                            zone));
        }
        if (dstGaps > 0) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "note: %,d local times fell in a daylight-saving gap and were moved"
                                    + " forward by the gap%n",
                            dstGaps));
        }
        if (dstOverlaps > 0) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "note: %,d local times fell in a daylight-saving overlap; the earlier"
                                    + " offset was taken%n",
                            dstOverlaps));
        }
        double seconds = Math.max(wallTime.toNanos() / 1e9, 1e-9);
        out.append(
                String.format(
                        Locale.ROOT,
                        "%,d rows in %.2f s (%,.0f rows/s, %,.0f events/s)%n",
                        rowsRead,
                        seconds,
                        rowsRead / seconds,
                        eventsWritten() / seconds));
        return out.toString();
    }

    private static void line(StringBuilder out, String label, long value) {
        out.append(String.format(Locale.ROOT, "%-28s %,10d%n", label, value));
    }
}
