package io.citypulse.tools.importcsv;

import java.nio.charset.Charset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded, validated mapping file: how the rows of one city's export become CityPulse events (see
 * {@code scripts/mappings/README.md} for the file format). Immutable.
 *
 * @param file the mapping file's name, for messages
 * @param source short name of the export; prefixes every derived eventId ({@code
 *     <source>:<id>:<TYPE>}) so two exports never share event ids
 * @param times lifecycle step (e.g. {@code closed}) to the CSV column holding its time, for the
 *     steps the export has, in lifecycle order
 * @param fields output field to its rule, for the fields the mapping names, in resolution order
 * @param agencyOnCreated whether CREATED events carry the agency too (by default only events from
 *     DISPATCHED on do, as the TicketEvent contract says)
 */
record Mapping(
        String file,
        Kind kind,
        String source,
        char delimiter,
        Charset encoding,
        TimeParser time,
        Map<String, String> times,
        Map<String, FieldRule> fields,
        boolean agencyOnCreated) {

    Mapping {
        times = Collections.unmodifiableMap(new LinkedHashMap<>(times));
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * Every CSV column the mapping reads, keyed by the mapping key that names it (e.g. {@code
     * times.closed}, {@code fields.district.column}), for checking them against the CSV header.
     */
    Map<String, String> columnsByKey() {
        Map<String, String> columns = new LinkedHashMap<>();
        times.forEach((step, column) -> columns.put("times." + step, column));
        fields.forEach(
                (field, rule) -> {
                    if (rule.column() != null) {
                        columns.put("fields." + field + ".column", rule.column());
                    }
                });
        return columns;
    }
}
