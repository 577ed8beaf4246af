package io.citypulse.sqlbaseline;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.Urgency;
import io.citypulse.kafka.LeadEnvelope;
import io.citypulse.kafka.TicketEnvelope;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;

/**
 * Accepted events as flat rows of the SQL tables {@code tickets} and {@code leads}: the identity
 * columns for deduplication and the raw dimension and type columns. Which measures an event counts
 * is decided in SQL ({@link HotspotSql}), not here. Event time comes as {@code local_time}, the
 * city's wall-clock date-time of the event ({@code TIMESTAMP(3)}), the rowtime the windows run on
 * (see {@link LocalClockWatermarks} for why not {@code TIMESTAMP_LTZ}).
 */
final class EventRows {

    static final String[] TICKET_COLUMNS = {
        "event_id",
        "ticket_id",
        "type",
        "category_major",
        "category_code",
        "district",
        "agency",
        "channel",
        "urgency",
        "expedited",
        "local_time"
    };

    static final TypeInformation<Row> TICKET_TYPE =
            Types.ROW_NAMED(
                    TICKET_COLUMNS,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.BOOLEAN,
                    Types.LOCAL_DATE_TIME);

    static final String[] LEAD_COLUMNS = {
        "event_id",
        "lead_id",
        "type",
        "category_major",
        "category_code",
        "district",
        "platform",
        "local_time"
    };

    static final TypeInformation<Row> LEAD_TYPE =
            Types.ROW_NAMED(
                    LEAD_COLUMNS,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.STRING,
                    Types.LOCAL_DATE_TIME);

    private EventRows() {}

    /** A ticket event as a {@code tickets} row. */
    static final class Tickets implements MapFunction<TicketEnvelope, Row> {

        private static final long serialVersionUID = 1L;

        private final ZoneId zone;

        Tickets(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public Row map(TicketEnvelope envelope) {
            TicketEvent e = envelope.event;
            Urgency urgency = e.getUrgency();
            return Row.of(
                    e.getEventId(),
                    e.getTicketId(),
                    e.getType().name(),
                    e.getCategoryMajor(),
                    e.getCategoryCode(),
                    e.getDistrict(),
                    e.getAgency(),
                    e.getChannel(),
                    urgency == null ? null : urgency.name(),
                    e.getExpedited(),
                    LocalDateTime.ofInstant(e.getEventTime(), zone));
        }
    }

    /** A lead event as a {@code leads} row. */
    static final class Leads implements MapFunction<LeadEnvelope, Row> {

        private static final long serialVersionUID = 1L;

        private final ZoneId zone;

        Leads(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public Row map(LeadEnvelope envelope) {
            LeadEvent e = envelope.event;
            return Row.of(
                    e.getEventId(),
                    e.getLeadId(),
                    e.getType().name(),
                    e.getCategoryMajor(),
                    e.getCategoryCode(),
                    e.getDistrict(),
                    e.getPlatform(),
                    LocalDateTime.ofInstant(e.getEventTime(), zone));
        }
    }
}
