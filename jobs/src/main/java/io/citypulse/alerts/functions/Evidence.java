package io.citypulse.alerts.functions;

import io.citypulse.avro.NamedCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an alert shows besides its numbers: the leading items, streets, districts and agencies among
 * the key's tickets in the last hour, and the content fingerprints of its most reposted leads. Ties
 * are broken by name, so the same input always yields the same evidence.
 */
final class Evidence {

    static final int TOP = 5;

    final List<NamedCount> items;
    final List<NamedCount> streets;
    final List<NamedCount> districts;
    final List<NamedCount> agencies;
    final List<String> fingerprints;

    private Evidence(
            List<NamedCount> items,
            List<NamedCount> streets,
            List<NamedCount> districts,
            List<NamedCount> agencies,
            List<String> fingerprints) {
        this.items = items;
        this.streets = streets;
        this.districts = districts;
        this.agencies = agencies;
        this.fingerprints = fingerprints;
    }

    static Evidence of(String scope, Iterable<PendingBucket> buckets) {
        Map<String, Long> items = new HashMap<>();
        Map<String, Long> streets = new HashMap<>();
        Map<String, Long> districts = new HashMap<>();
        Map<String, Long> agencies = new HashMap<>();
        Map<String, Long> prints = new HashMap<>();
        for (PendingBucket b : buckets) {
            for (Map.Entry<String, Integer> e : b.created.entrySet()) {
                String[] t = PendingBucket.split(e.getKey());
                if (Scope.contains(scope, t[0], t[1])) {
                    items.merge(t[0], (long) e.getValue(), Long::sum);
                    if (!t[1].isEmpty()) {
                        districts.merge(t[1], (long) e.getValue(), Long::sum);
                    }
                    if (!t[2].isEmpty()) {
                        streets.merge(t[2], (long) e.getValue(), Long::sum);
                    }
                }
            }
            for (Map.Entry<String, Integer> e : b.dispatched.entrySet()) {
                String[] t = PendingBucket.split(e.getKey());
                if (Scope.contains(scope, t[0], t[1]) && !t[2].isEmpty()) {
                    agencies.merge(t[2], (long) e.getValue(), Long::sum);
                }
            }
            for (Map.Entry<String, Integer> e : b.leads.entrySet()) {
                String[] t = PendingBucket.split(e.getKey());
                if (Scope.contains(scope, t[0], t[1]) && !t[2].isEmpty()) {
                    prints.merge(t[2], (long) e.getValue(), Long::sum);
                }
            }
        }
        List<String> sample = new ArrayList<>();
        for (NamedCount c : top(prints)) {
            sample.add(c.getName()); // the most reposted posts first
        }
        return new Evidence(top(items), top(streets), top(districts), top(agencies), sample);
    }

    static List<NamedCount> top(Map<String, Long> counts) {
        List<NamedCount> list = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(
                        Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                                .reversed()
                                .thenComparing(Map.Entry::getKey))
                .limit(TOP)
                .forEach(e -> list.add(new NamedCount(e.getKey(), e.getValue())));
        return list;
    }
}
