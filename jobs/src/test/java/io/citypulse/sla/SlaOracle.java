package io.citypulse.sla;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Expected {@code sla_breaches} and {@code agency_daily} contents of a bounded run, computed
 * straight from the ticket events with the rules as the issue states them, in one plain pass per
 * ticket. It shares no code with the job (not its rules, limits, state or percentile helper), so a
 * test comparing the two compares two independent readings of the rules.
 *
 * <p>Rules: duplicates (same eventId) count once; a ticket's events are read in time order (ties:
 * lifecycle order, then eventId); the run ends at the latest event time of the input, and deadlines
 * after it have not passed. Dispatch deadline = creation + the strictest applicable limit; it is
 * kept by the first dispatch at or before it. Resolution deadline = dueTime (else a fallback);
 * broken if the ticket is unresolved at some moment after it (unresolved at the due time, or
 * reopened after it); the fulfilment is the start of the final resolved spell. Agency days: each
 * dispatched ticket counts for the agency and local day of its first dispatch.
 */
final class SlaOracle {

    /** One ticket event, as plain values. */
    record Event(
            String ticketId,
            String eventId,
            String type,
            long time,
            String urgency,
            boolean expedited,
            String code,
            String district,
            String agency,
            Long due) {}

    /**
     * The limits, as the test configured them.
     *
     * @param resolutionWithoutDue resolution limit (ms from creation) by item code, for tickets
     *     without a dueTime
     */
    record Limits(
            long emergencyMs,
            long generalMs,
            Long expeditedEmergencyMs,
            Long expeditedGeneralMs,
            Map<String, Long> itemDispatchMs,
            ToLongFunction<String> resolutionWithoutDue) {

        long dispatchMs(Event created) {
            boolean emergency = created.urgency().equals("EMERGENCY");
            List<Long> candidates = new ArrayList<>();
            candidates.add(emergency ? emergencyMs : generalMs);
            Long expedited = emergency ? expeditedEmergencyMs : expeditedGeneralMs;
            if (created.expedited() && expedited != null) {
                candidates.add(expedited);
            }
            if (itemDispatchMs.containsKey(created.code())) {
                candidates.add(itemDispatchMs.get(created.code()));
            }
            return candidates.stream().mapToLong(Long::longValue).min().getAsLong();
        }
    }

    /** An expected row of sla_breaches (version left out: it is an implementation choice). */
    record Breach(
            String ticketId,
            String kind,
            String status,
            String urgency,
            boolean expedited,
            String code,
            String district,
            String agency,
            long created,
            long deadline,
            Long fulfilled,
            Double minutesOverdue) {}

    /** An expected row of agency_daily. */
    record Day(
            String day,
            String agency,
            int dispatched,
            int returned,
            int success,
            Double successRate,
            int dispatchedLate,
            int emergency,
            Double emergencyP50,
            Double emergencyP90,
            int general,
            Double generalP50,
            Double generalP90,
            int resolvedOnTime,
            int resolvedLate,
            int openPastDue) {}

    record Result(long inputEnd, Map<String, Breach> breaches, Map<String, Day> days) {}

    private static final List<String> LIFECYCLE =
            List.of(
                    "CREATED",
                    "DISPATCHED",
                    "RETURNED",
                    "ACCEPTED",
                    "RESOLVED",
                    "CLOSED",
                    "REOPENED");

    private SlaOracle() {}

    static String key(String a, String b) {
        return a + "|" + b;
    }

    static Result compute(List<Event> events, Limits limits, ZoneId zone) {
        long end = events.stream().mapToLong(Event::time).max().orElseThrow();
        Map<String, List<Event>> byTicket = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Event e : events) {
            if (seen.add(e.eventId())) {
                byTicket.computeIfAbsent(e.ticketId(), t -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Breach> breaches = new TreeMap<>();
        Map<String, List<long[]>> dayLatencies = new TreeMap<>();
        Map<String, int[]> dayCounts = new TreeMap<>();
        for (List<Event> ticket : byTicket.values()) {
            ticket.sort(
                    Comparator.comparingLong(Event::time)
                            .thenComparingInt(e -> LIFECYCLE.indexOf(e.type()))
                            .thenComparing(Event::eventId));
            Event created =
                    ticket.stream()
                            .filter(e -> e.type().equals("CREATED"))
                            .findFirst()
                            .orElse(null);
            if (created == null) {
                continue;
            }
            long c = created.time();

            // Dispatch.
            long dispatchDeadline = c + limits.dispatchMs(created);
            Event first =
                    ticket.stream()
                            .filter(e -> e.type().equals("DISPATCHED"))
                            .findFirst()
                            .orElse(null);
            if (first != null && first.time() > dispatchDeadline) {
                breaches.put(
                        key(created.ticketId(), "DISPATCH"),
                        breach(
                                created,
                                "DISPATCH",
                                "FULFILLED_LATE",
                                first.agency(),
                                dispatchDeadline,
                                first.time()));
            } else if (first == null && dispatchDeadline <= end) {
                breaches.put(
                        key(created.ticketId(), "DISPATCH"),
                        breach(created, "DISPATCH", "OPEN", null, dispatchDeadline, null));
            }

            // Resolution: unresolved spells [from, to), to = null while still unresolved.
            long due =
                    created.due() != null
                            ? created.due()
                            : c + limits.resolutionWithoutDue().applyAsLong(created.code());
            List<Long[]> spells = new ArrayList<>();
            Long spellStart = c;
            String lastAgency = null;
            for (Event e : ticket) {
                switch (e.type()) {
                    case "DISPATCHED" -> lastAgency = e.agency();
                    case "RESOLVED", "CLOSED" -> {
                        if (spellStart != null) {
                            spells.add(new Long[] {spellStart, e.time()});
                            spellStart = null;
                        }
                    }
                    case "REOPENED" -> {
                        if (spellStart == null) {
                            spellStart = e.time();
                        }
                    }
                    default -> {}
                }
            }
            if (spellStart != null) {
                spells.add(new Long[] {spellStart, null});
            }
            boolean broken = false;
            for (Long[] spell : spells) {
                boolean endsAfterDue = spell[1] == null || spell[1] > due;
                if (endsAfterDue && Math.max(spell[0], due) <= end) {
                    broken = true;
                }
            }
            Long[] last = spells.get(spells.size() - 1);
            boolean stillOpen = last[1] == null;
            if (broken) {
                breaches.put(
                        key(created.ticketId(), "RESOLUTION"),
                        breach(
                                created,
                                "RESOLUTION",
                                stillOpen ? "OPEN" : "FULFILLED_LATE",
                                lastAgency,
                                due,
                                stillOpen ? null : last[1]));
            }

            // Agency day.
            if (first != null) {
                String agency = first.agency() == null ? "UNKNOWN" : first.agency();
                String day =
                        LocalDate.ofInstant(Instant.ofEpochMilli(first.time()), zone).toString();
                String k = key(day, agency);
                boolean returned = ticket.stream().anyMatch(e -> e.type().equals("RETURNED"));
                boolean accepted = ticket.stream().anyMatch(e -> e.type().equals("ACCEPTED"));
                int[] n = dayCounts.computeIfAbsent(k, x -> new int[7]);
                n[0]++;
                n[1] += returned ? 1 : 0;
                n[2] += accepted && !returned ? 1 : 0;
                n[3] += first.time() > dispatchDeadline ? 1 : 0;
                if (broken) {
                    n[stillOpen ? 6 : 5]++;
                } else if (!stillOpen) {
                    n[4]++;
                }
                dayLatencies
                        .computeIfAbsent(k, x -> new ArrayList<>())
                        .add(
                                new long[] {
                                    created.urgency().equals("EMERGENCY") ? 1 : 0, first.time() - c
                                });
            }
        }
        Map<String, Day> days = new TreeMap<>();
        for (Map.Entry<String, int[]> e : dayCounts.entrySet()) {
            String[] dayAgency = e.getKey().split("\\|", 2);
            int[] n = e.getValue();
            List<Long> emergency = new ArrayList<>();
            List<Long> general = new ArrayList<>();
            for (long[] l : dayLatencies.get(e.getKey())) {
                (l[0] == 1 ? emergency : general).add(l[1]);
            }
            days.put(
                    e.getKey(),
                    new Day(
                            dayAgency[0],
                            dayAgency[1],
                            n[0],
                            n[1],
                            n[2],
                            n[1] + n[2] == 0 ? null : n[2] / (double) (n[1] + n[2]),
                            n[3],
                            emergency.size(),
                            percentileMinutes(emergency, 50),
                            percentileMinutes(emergency, 90),
                            general.size(),
                            percentileMinutes(general, 50),
                            percentileMinutes(general, 90),
                            n[4],
                            n[5],
                            n[6]));
        }
        return new Result(end, breaches, days);
    }

    private static Breach breach(
            Event created, String kind, String status, String agency, long deadline, Long done) {
        return new Breach(
                created.ticketId(),
                kind,
                status,
                created.urgency(),
                created.expedited(),
                created.code(),
                created.district(),
                agency,
                created.time(),
                deadline,
                done,
                done == null ? null : (done - deadline) / 60_000.0);
    }

    /** Nearest rank: the value at position ceil(p% of n) of the sorted values. */
    private static Double percentileMinutes(List<Long> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(p * sorted.size() / 100.0);
        return sorted.get(Math.max(rank, 1) - 1) / 60_000.0;
    }
}
