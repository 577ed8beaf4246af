package io.citypulse.tools.evaluate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each incident's level in the monitored series, counted from the CREATED tickets of the event
 * files (not from the truth file's expectations): for every series that contains the incident's
 * scope, the ordinary ("usual") tickets of the series in the incident's [start, end) and the
 * incident's own ("extra") tickets there.
 *
 * <ul>
 *   <li>Series: the major citywide (always); the item citywide (when the incident is on one item);
 *       the (major, district) pair (when the incident is in one district).
 *   <li>Usual: CREATED tickets of the series in the window whose id carries no {@code -I<k>-} (no
 *       incident's ticket); extra: those carrying the incident's own {@code -I<ordinal>-}. Tickets
 *       of another, overlapping incident count as neither.
 *   <li>A ticket is counted once (by ticket id), however often its CREATED was delivered.
 * </ul>
 */
final class IncidentLevels {

    /** A monitored series containing an incident, and the incident's counts in it. */
    record SeriesCount(String series, long usual, long extra) {

        /** (usual + extra) / usual, a usual level of 0 counted as 1. */
        double multiplier() {
            return (usual + extra) / (double) Math.max(usual, 1);
        }
    }

    private enum Kind {
        MAJOR,
        ITEM,
        DISTRICT
    }

    private record Series(Kind kind, String label) {}

    private final List<TruthIncident> incidents;
    private final List<List<Series>> series = new ArrayList<>();
    private final List<long[]> usual = new ArrayList<>();
    private final List<long[]> extra = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private long tickets;

    IncidentLevels(List<TruthIncident> incidents) {
        this.incidents = incidents;
        for (TruthIncident i : incidents) {
            List<Series> s = new ArrayList<>();
            s.add(new Series(Kind.MAJOR, i.categoryMajor()));
            if (i.categoryCode() != null) {
                s.add(new Series(Kind.ITEM, i.categoryCode()));
            }
            if (i.district() != null) {
                s.add(new Series(Kind.DISTRICT, i.categoryMajor() + "@" + i.district()));
            }
            series.add(s);
            usual.add(new long[s.size()]);
            extra.add(new long[s.size()]);
        }
    }

    /** Counts one CREATED event (a redelivered one is ignored). */
    void accept(CreatedTicket t) {
        if (!seen.add(t.ticketId())) {
            return;
        }
        tickets++;
        int ordinal = -1;
        for (int k = 0; k < incidents.size(); k++) {
            TruthIncident i = incidents.get(k);
            if (t.eventTime() < i.start()
                    || t.eventTime() >= i.end()
                    || !i.categoryMajor().equals(t.categoryMajor())) {
                continue;
            }
            if (ordinal < 0) {
                ordinal = t.incidentOrdinal();
            }
            List<Series> s = series.get(k);
            for (int j = 0; j < s.size(); j++) {
                if (!contains(s.get(j), i, t)) {
                    continue;
                }
                if (ordinal == 0) {
                    usual.get(k)[j]++;
                } else if (ordinal == i.ordinal()) {
                    extra.get(k)[j]++;
                }
            }
        }
    }

    private static boolean contains(Series s, TruthIncident i, CreatedTicket t) {
        return switch (s.kind()) {
            case MAJOR -> true; // the major was checked by the caller
            case ITEM -> i.categoryCode().equals(t.categoryCode());
            case DISTRICT -> i.district().equals(t.district());
        };
    }

    /** Distinct tickets counted so far. */
    long tickets() {
        return tickets;
    }

    /** Per incident id, its series in the order major, item, district. */
    Map<String, List<SeriesCount>> result() {
        Map<String, List<SeriesCount>> out = new LinkedHashMap<>();
        for (int k = 0; k < incidents.size(); k++) {
            List<SeriesCount> counts = new ArrayList<>();
            List<Series> s = series.get(k);
            for (int j = 0; j < s.size(); j++) {
                counts.add(new SeriesCount(s.get(j).label(), usual.get(k)[j], extra.get(k)[j]));
            }
            out.put(incidents.get(k).id(), List.copyOf(counts));
        }
        return out;
    }
}
