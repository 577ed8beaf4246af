package io.citypulse.tools.importcsv;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Turns one row into the events of one ticket or lead. */
interface RowConverter {

    /**
     * The row's events in lifecycle order (which is also time order: the lifecycle times are
     * checked not to decrease).
     *
     * @throws RowRejected if the row cannot be imported
     */
    Converted convert(Row row) throws RowRejected;

    /**
     * A converted row.
     *
     * @param id the ticket or lead id (for the duplicate check)
     * @param dstGaps times of the row that fell in a daylight-saving gap (moved forward)
     * @param dstOverlaps times of the row that fell in a daylight-saving overlap (earlier offset)
     */
    record Converted(String id, List<SpecificRecord> events, int dstGaps, int dstOverlaps) {}

    /** The converter for a mapping's kind. */
    static RowConverter forMapping(Mapping mapping) {
        return switch (mapping.kind()) {
            case TICKETS -> new TicketConverter(mapping);
            case LEADS -> new LeadConverter(mapping);
        };
    }

    /** Derived event ids are a pure function of the row, so a re-import repeats them. */
    static String eventId(String source, String id, Enum<?> type) {
        return source + ":" + id + ":" + type.name();
    }
}
