package io.citypulse.tools.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Scoring#score} found, with the figures derived from it, the text report and its JSON
 * form ({@code --json FILE}).
 *
 * @param scoringStart start of the scoring period (end of the warm-up), epoch ms
 * @param weeks 7-day weeks of the scoring period, counted from its start (the last may be shorter)
 * @param alertsScored alert episodes opened in the scoring period
 * @param alertsMatched of those, the ones matching at least one incident
 * @param alertsInWarmUp opened before the scoring period: not scored
 * @param alertsAfterEnd opened at or after the end of the simulated window: not scored
 * @param falseAlerts alerts of the scoring period matching no incident, by opening time
 * @param falsePerCategoryWeek per major category (sorted), false alerts per week
 */
public record Report(
        Truth truth,
        long scoringStart,
        int weeks,
        List<IncidentResult> incidents,
        int alertsScored,
        int alertsMatched,
        int alertsInWarmUp,
        int alertsAfterEnd,
        List<AlertRecord> falseAlerts,
        Map<String, int[]> falsePerCategoryWeek) {

    /**
     * One incident's verdict.
     *
     * @param series the monitored series containing it, with usual and extra tickets
     * @param durationMs its duration inside the simulated window
     * @param ineligibleBecause empty when eligible
     * @param matchingAlerts alerts matching it (detection window plus the hour after its end)
     * @param firstAlert the first alert opened in its detection window, or null: missed
     * @param delayMs first alert's opened_at - start (negative when leads raised it early), or null
     */
    public record IncidentResult(
            TruthIncident incident,
            List<IncidentLevels.SeriesCount> series,
            double effectiveMultiplier,
            long durationMs,
            boolean eligible,
            List<String> ineligibleBecause,
            int matchingAlerts,
            AlertRecord firstAlert,
            Long delayMs) {

        public boolean detected() {
            return firstAlert != null;
        }

        /** The series with the largest multiplier, e.g. {@code WATER-PIPE-BURST x4.2 (5+16)}. */
        String strongestSeries() {
            IncidentLevels.SeriesCount best = null;
            for (IncidentLevels.SeriesCount s : series) {
                if (best == null || s.multiplier() > best.multiplier()) {
                    best = s;
                }
            }
            return best == null
                    ? "no tickets counted"
                    : String.format(
                            Locale.ROOT,
                            "%s x%.2f (usual %d + extra %d)",
                            best.series(),
                            best.multiplier(),
                            best.usual(),
                            best.extra());
        }
    }

    public List<IncidentResult> eligible() {
        return incidents.stream().filter(IncidentResult::eligible).toList();
    }

    public long detectedEligible() {
        return eligible().stream().filter(IncidentResult::detected).count();
    }

    public long detectedAll() {
        return incidents.stream().filter(IncidentResult::detected).count();
    }

    /** Detected / eligible; NaN without eligible incidents. */
    public double recallEligible() {
        return ratio(detectedEligible(), eligible().size());
    }

    /** Detected / all incidents of the truth file (for information). */
    public double recallAll() {
        return ratio(detectedAll(), incidents.size());
    }

    /** Delays of the detected eligible incidents, raw (may be negative). */
    public List<Long> delaysRaw() {
        return eligible().stream()
                .filter(IncidentResult::detected)
                .map(IncidentResult::delayMs)
                .toList();
    }

    /** Delays of the detected eligible incidents, max(0, delay). */
    public List<Long> delaysClamped() {
        return delaysRaw().stream().map(d -> Math.max(0L, d)).toList();
    }

    public Long medianDelayMs() {
        return Scoring.percentile(delaysClamped(), 0.5);
    }

    public Long medianDelayRawMs() {
        return Scoring.percentile(delaysRaw(), 0.5);
    }

    public Long p90DelayMs() {
        return Scoring.percentile(delaysClamped(), 0.9);
    }

    public Long p90DelayRawMs() {
        return Scoring.percentile(delaysRaw(), 0.9);
    }

    /** Matched / all alerts opened in the scoring period; NaN without alerts. */
    public double precision() {
        return ratio(alertsMatched, alertsScored);
    }

    public int maxFalsePerCategoryWeek() {
        int max = 0;
        for (int[] weekCounts : falsePerCategoryWeek.values()) {
            for (int c : weekCounts) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    public int totalFalse() {
        return falseAlerts.size();
    }

    public boolean recallPasses() {
        return recallEligible() >= Scoring.TARGET_RECALL;
    }

    public boolean falseAlertsPass() {
        return maxFalsePerCategoryWeek() <= Scoring.TARGET_MAX_FALSE_PER_CATEGORY_WEEK;
    }

    public boolean delayPasses() {
        Long median = medianDelayMs();
        return median != null && median <= Scoring.TARGET_MEDIAN_DELAY_MS;
    }

    public boolean passes() {
        return recallPasses() && falseAlertsPass() && delayPasses();
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : a / (double) b;
    }

    // ---------------------------------------------------------------------------------------
    // Text

    /** The human-readable report. */
    public void print(PrintStream out, String alertsFrom) {
        DateTimeFormatter day =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(truth.zone());
        out.printf(
                Locale.ROOT,
                "Detector evaluation: seed %d, %s .. %s %s; scoring period from %s (%d week%s),"
                        + " warm-up before it not scored%n",
                truth.seed(),
                day.format(Instant.ofEpochMilli(truth.start())),
                day.format(Instant.ofEpochMilli(truth.end())),
                truth.zone(),
                day.format(Instant.ofEpochMilli(scoringStart)),
                weeks,
                weeks == 1 ? "" : "s");
        out.println("Alerts from " + alertsFrom);
        out.println();
        out.println("Rules:");
        for (String rule : EvaluateDetector.RULES) {
            out.println("  - " + rule);
        }
        out.println();
        List<IncidentResult> eligible = eligible();
        out.printf(
                Locale.ROOT,
                "Incidents: %d in the truth file, %d eligible%n",
                incidents.size(),
                eligible.size());
        out.printf(
                Locale.ROOT,
                "  recall (eligible)      %d/%d = %s   target >= %.2f   %s%n",
                detectedEligible(),
                eligible.size(),
                fraction(recallEligible()),
                Scoring.TARGET_RECALL,
                verdict(recallPasses()));
        out.printf(
                Locale.ROOT,
                "  recall (all, info)     %d/%d = %s%n",
                detectedAll(),
                incidents.size(),
                fraction(recallAll()));
        out.printf(
                Locale.ROOT,
                "  delay median           %s (raw %s)   target <= %d min   %s%n",
                minutes(medianDelayMs()),
                minutes(medianDelayRawMs()),
                Scoring.TARGET_MEDIAN_DELAY_MS / Scoring.MINUTE_MS,
                verdict(delayPasses()));
        out.printf(
                Locale.ROOT,
                "  delay p90              %s (raw %s)%n",
                minutes(p90DelayMs()),
                minutes(p90DelayRawMs()));
        out.println();
        out.printf(
                Locale.ROOT,
                "Alerts: %d opened in the scoring period (%d in the warm-up and %d after the end"
                        + " not scored)%n",
                alertsScored,
                alertsInWarmUp,
                alertsAfterEnd);
        out.printf(
                Locale.ROOT,
                "  precision              %d/%d = %s%n",
                alertsMatched,
                alertsScored,
                fraction(precision()));
        out.printf(
                Locale.ROOT,
                "  false alerts           %d in total, at most %d per category per week   target"
                        + " <= %d   %s%n",
                totalFalse(),
                maxFalsePerCategoryWeek(),
                Scoring.TARGET_MAX_FALSE_PER_CATEGORY_WEEK,
                verdict(falseAlertsPass()));
        if (!falsePerCategoryWeek.isEmpty()) {
            StringBuilder header =
                    new StringBuilder(String.format(Locale.ROOT, "    %-14s", "category"));
            for (int w = 1; w <= weeks; w++) {
                header.append(String.format(Locale.ROOT, " %4s", "w" + w));
            }
            out.println(header.append("  total"));
            for (Map.Entry<String, int[]> e : falsePerCategoryWeek.entrySet()) {
                StringBuilder row =
                        new StringBuilder(String.format(Locale.ROOT, "    %-14s", e.getKey()));
                int total = 0;
                for (int c : e.getValue()) {
                    row.append(String.format(Locale.ROOT, " %4d", c));
                    total += c;
                }
                out.println(row.append(String.format(Locale.ROOT, "  %5d", total)));
            }
            out.println("    (weeks: 7 days each from the start of the scoring period)");
            for (AlertRecord a : falseAlerts) {
                out.printf(
                        Locale.ROOT,
                        "    false: %s %s opened %s%s%n",
                        a.alertId(),
                        a.keyLabel(),
                        day.format(Instant.ofEpochMilli(a.openedAt())),
                        a.leadDriven() ? " (lead-driven)" : "");
            }
        }
        out.println();
        List<IncidentResult> missed = eligible.stream().filter(r -> !r.detected()).toList();
        out.printf(Locale.ROOT, "Missed eligible incidents: %d%n", missed.size());
        for (IncidentResult r : missed) {
            TruthIncident i = r.incident();
            out.printf(
                    Locale.ROOT,
                    "  %s %s, %s .. %s, x%s injected, effective x%.2f on %s%s%s%n",
                    i.id(),
                    i.scopeLabel(),
                    day.format(Instant.ofEpochMilli(i.start())),
                    day.format(Instant.ofEpochMilli(i.end())),
                    trim(i.multiplier()),
                    r.effectiveMultiplier(),
                    r.strongestSeries(),
                    i.leadDriven() ? ", lead-driven" : "",
                    r.matchingAlerts() == 0
                            ? ""
                            : "; " + r.matchingAlerts() + " matching alert(s), all after its end");
        }
        out.println();
        List<String> failed = new ArrayList<>();
        if (!recallPasses()) {
            failed.add("recall");
        }
        if (!falseAlertsPass()) {
            failed.add("false alerts");
        }
        if (!delayPasses()) {
            failed.add("median delay");
        }
        out.println(
                "Result: "
                        + (failed.isEmpty() ? "PASS" : "FAIL (" + String.join(", ", failed) + ")"));
        out.flush();
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "FAIL";
    }

    private static String fraction(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String minutes(Long ms) {
        return ms == null ? "n/a" : String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }

    private static String trim(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------------------------------
    // JSON

    /** Every figure of the report as JSON (times in epoch ms, delays in ms). */
    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("seed", truth.seed());
        root.put("zone", truth.zone().getId());
        root.put("start", truth.start());
        root.put("end", truth.end());
        root.put("scoringStart", scoringStart);
        root.put("weeks", weeks);
        ObjectNode targets = root.putObject("targets");
        targets.put("recall", Scoring.TARGET_RECALL);
        targets.put("maxFalsePerCategoryWeek", Scoring.TARGET_MAX_FALSE_PER_CATEGORY_WEEK);
        targets.put("medianDelayMs", Scoring.TARGET_MEDIAN_DELAY_MS);
        ObjectNode summary = root.putObject("summary");
        summary.put("incidents", incidents.size());
        summary.put("eligible", eligible().size());
        summary.put("detectedEligible", detectedEligible());
        summary.put("detectedAll", detectedAll());
        number(summary, "recallEligible", recallEligible());
        number(summary, "recallAll", recallAll());
        number(summary, "medianDelayMs", medianDelayMs());
        number(summary, "medianDelayRawMs", medianDelayRawMs());
        number(summary, "p90DelayMs", p90DelayMs());
        number(summary, "p90DelayRawMs", p90DelayRawMs());
        summary.put("alertsScored", alertsScored);
        summary.put("alertsMatched", alertsMatched);
        summary.put("alertsInWarmUp", alertsInWarmUp);
        summary.put("alertsAfterEnd", alertsAfterEnd);
        number(summary, "precision", precision());
        summary.put("falseAlerts", totalFalse());
        summary.put("maxFalsePerCategoryWeek", maxFalsePerCategoryWeek());
        summary.put("recallPass", recallPasses());
        summary.put("falseAlertsPass", falseAlertsPass());
        summary.put("delayPass", delayPasses());
        summary.put("pass", passes());
        ObjectNode perWeek = root.putObject("falseAlertsPerCategoryWeek");
        for (Map.Entry<String, int[]> e : falsePerCategoryWeek.entrySet()) {
            ArrayNode weeksNode = perWeek.putArray(e.getKey());
            for (int c : e.getValue()) {
                weeksNode.add(c);
            }
        }
        ArrayNode falseNode = root.putArray("falseAlerts");
        for (AlertRecord a : falseAlerts) {
            falseNode.add(alert(mapper, a));
        }
        ArrayNode list = root.putArray("incidents");
        for (IncidentResult r : incidents) {
            TruthIncident i = r.incident();
            ObjectNode n = list.addObject();
            n.put("id", i.id());
            n.put("ordinal", i.ordinal());
            n.put("categoryMajor", i.categoryMajor());
            n.put("categoryCode", i.categoryCode());
            n.put("district", i.district());
            n.put("start", i.start());
            n.put("end", i.end());
            n.put("durationMs", r.durationMs());
            n.put("multiplier", i.multiplier());
            n.put("leadDriven", i.leadDriven());
            if (i.leadStart() != null) {
                n.put("leadStart", i.leadStart());
            } else {
                n.putNull("leadStart");
            }
            ArrayNode series = n.putArray("series");
            for (IncidentLevels.SeriesCount s : r.series()) {
                ObjectNode sn = series.addObject();
                sn.put("series", s.series());
                sn.put("usual", s.usual());
                sn.put("extra", s.extra());
                sn.put("multiplier", s.multiplier());
            }
            n.put("effectiveMultiplier", r.effectiveMultiplier());
            n.put("eligible", r.eligible());
            ArrayNode reasons = n.putArray("ineligibleBecause");
            r.ineligibleBecause().forEach(reasons::add);
            n.put("detected", r.detected());
            n.put("matchingAlerts", r.matchingAlerts());
            if (r.firstAlert() != null) {
                n.set("firstAlert", alert(mapper, r.firstAlert()));
                n.put("delayMs", r.delayMs());
            } else {
                n.putNull("firstAlert");
                n.putNull("delayMs");
            }
        }
        return root;
    }

    /** Writes {@link #toJson()} to a file (parent folders created). */
    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), toJson());
    }

    private static ObjectNode alert(ObjectMapper mapper, AlertRecord a) {
        ObjectNode n = mapper.createObjectNode();
        n.put("alertId", a.alertId());
        n.put("scope", a.scope());
        n.put("categoryMajor", a.categoryMajor());
        n.put("categoryCode", a.categoryCode());
        n.put("district", a.district());
        n.put("leadDriven", a.leadDriven());
        n.put("openedAt", a.openedAt());
        return n;
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isNaN(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    private static void number(ObjectNode node, String name, Long value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }
}
