package io.citypulse.tools.simulate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The ground truth of a run ({@code --truth FILE}): the incidents injected, with what each was
 * expected to add and what it did add, and the faults injected. Detection is scored against it.
 *
 * <pre>{@code
 * {
 *   "seed": 42, "zone": "Asia/Shanghai", "scale": 1.0,
 *   "start": 1793548800000, "end": 1793570400000,
 *   "incidents": [ {
 *     "id": "I1", "ordinal": 1,                    // ids of its entities carry -I1-
 *     "categoryMajor": "WATER", "categoryCode": "WATER-PIPE-BURST", "district": "Baoan",
 *     "start": 1793577600000, "end": 1793588400000,  // epoch ms, [start, end)
 *     "startLocal": "2026-11-02T08:00+08:00", "endLocal": "2026-11-02T11:00+08:00",
 *     "multiplier": 6.0,
 *     "leadDriven": true, "leadStart": 1793570400000, "leadMultiplier": 10.0,
 *     "baselineTickets": 1.9,          // usual tickets of the scope in the window (expected)
 *     "expectedExtraTickets": 9.6,     // (multiplier - 1) x baseline + expected conversions
 *     "actualExtraTickets": 11,        // extra CREATED in the output, conversions included
 *     "actualExtraTicketsFromLeads": 0,
 *     "expectedExtraLeads": 4.4, "actualExtraLeads": 5
 *   } ],
 *   "faults": { "disorderMs": 0, "duplicates": 0, "late": 0, "lateByMs": 10800000, "malformed": 0 }
 * }
 * }</pre>
 *
 * With {@code --incidents-after DUR} the object also carries {@code "incidentsFrom"} (epoch ms,
 * after {@code "end"}): random incidents start no earlier than that, so [start, incidentsFrom) is a
 * warm-up without incidents. Without the option the member is absent (the file is unchanged).
 *
 * <p>Null members ({@code categoryCode}, {@code district}, {@code leadStart}) mean "not restricted"
 * / "no lead surge". Counts cover the simulated window only: an incident reaching past the run's
 * end counts (and expects) only its part inside the run.
 */
final class TruthFile {

    private TruthFile() {}

    /** Counts of the faults injected (from the {@link FaultInjector}). */
    record FaultCounts(long duplicates, long late, long malformed) {
        static final FaultCounts NONE = new FaultCounts(0, 0, 0);
    }

    static void write(
            Path file,
            long seed,
            ZoneId zone,
            double scale,
            Instant start,
            Instant end,
            Instant incidentsFrom,
            List<IncidentOutcome> outcomes,
            FaultSettings faults,
            FaultCounts counts)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        DateTimeFormatter local = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        try (JsonGenerator json =
                new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("seed", seed);
            json.writeStringField("zone", zone.getId());
            json.writeNumberField("scale", scale);
            json.writeNumberField("start", start.toEpochMilli());
            json.writeNumberField("end", end.toEpochMilli());
            if (incidentsFrom.isAfter(start)) {
                json.writeNumberField("incidentsFrom", incidentsFrom.toEpochMilli());
            }
            json.writeArrayFieldStart("incidents");
            for (IncidentOutcome o : outcomes) {
                Incident i = o.incident();
                json.writeStartObject();
                json.writeStringField("id", i.id());
                json.writeNumberField("ordinal", o.ordinal());
                json.writeStringField("categoryMajor", i.categoryMajor());
                json.writeStringField("categoryCode", i.categoryCode());
                json.writeStringField("district", i.district());
                json.writeNumberField("start", i.startMs());
                json.writeNumberField("end", i.endMs());
                json.writeStringField(
                        "startLocal", local.format(Instant.ofEpochMilli(i.startMs()).atZone(zone)));
                json.writeStringField(
                        "endLocal", local.format(Instant.ofEpochMilli(i.endMs()).atZone(zone)));
                json.writeNumberField("multiplier", i.multiplier());
                json.writeBooleanField("leadDriven", i.leadDriven());
                if (i.leadDriven()) {
                    json.writeNumberField("leadStart", i.leadStartMs());
                    json.writeNumberField("leadMultiplier", i.leadMultiplier());
                } else {
                    json.writeNullField("leadStart");
                    json.writeNullField("leadMultiplier");
                }
                json.writeNumberField("baselineTickets", round(o.baselineTickets()));
                json.writeNumberField("expectedExtraTickets", round(o.expectedExtraTickets()));
                json.writeNumberField("actualExtraTickets", o.actualExtraTickets());
                json.writeNumberField(
                        "actualExtraTicketsFromLeads", o.actualExtraTicketsFromLeads());
                json.writeNumberField("expectedExtraLeads", round(o.expectedExtraLeads()));
                json.writeNumberField("actualExtraLeads", o.actualExtraLeads());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("faults");
            json.writeNumberField("disorderMs", faults.disorder().toMillis());
            json.writeNumberField("duplicates", counts.duplicates());
            json.writeNumberField("late", counts.late());
            json.writeNumberField("lateByMs", faults.lateBy().toMillis());
            json.writeNumberField("malformed", counts.malformed());
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
