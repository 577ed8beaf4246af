package io.citypulse.clickhouse;

import io.citypulse.avro.DeadLetter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Dead letters as rows of {@code rejected_events} (DDL: sql/002_rejected_events.sql): reason and
 * origin only. The original bytes stay in the Kafka dead-letter topic; they are not copied into
 * ClickHouse, which dashboards read.
 */
public final class RejectedEventRows implements RowWriter<DeadLetter> {

    private static final long serialVersionUID = 1L;

    @Override
    public String table() {
        return "rejected_events";
    }

    @Override
    public List<String> columns() {
        return List.of(
                "job",
                "source_topic",
                "source_partition",
                "source_offset",
                "reason",
                "detail",
                "event_id",
                "event_time",
                "rejected_at",
                "payload_bytes");
    }

    @Override
    public void bind(PreparedStatement ps, DeadLetter d) throws SQLException {
        ps.setString(1, d.getJob());
        ps.setString(2, d.getSourceTopic());
        ps.setInt(3, d.getSourcePartition());
        ps.setLong(4, d.getSourceOffset());
        ps.setString(5, d.getReason());
        ps.setString(6, d.getDetail());
        if (d.getEventId() == null) {
            ps.setNull(7, Types.VARCHAR);
        } else {
            ps.setString(7, d.getEventId());
        }
        if (d.getEventTime() == null) {
            ps.setNull(8, Types.TIMESTAMP);
        } else {
            RowWriter.setTime(ps, 8, d.getEventTime().toEpochMilli());
        }
        RowWriter.setTime(ps, 9, d.getRejectedAt().toEpochMilli());
        ps.setInt(10, d.getPayload().remaining());
    }
}
