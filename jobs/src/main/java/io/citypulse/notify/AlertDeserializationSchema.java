package io.citypulse.notify;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.kafka.DecodingDeserializationSchema;
import io.citypulse.validation.Problem;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Alert records from Kafka as {@link AlertEnvelope}s; see {@link DecodingDeserializationSchema}:
 * undecodable bytes become dead letters ({@code EMPTY}, {@code NOT_SINGLE_OBJECT}, {@code
 * UNKNOWN_SCHEMA}, {@code MALFORMED}); so do alerts without an id ({@code MISSING_FIELD}) and
 * alerts whose state or level this build does not know ({@code UNKNOWN_TYPE}, from a newer writer).
 */
public final class AlertDeserializationSchema
        extends DecodingDeserializationSchema<HotspotAlert, AlertEnvelope> {

    private static final long serialVersionUID = 1L;

    public AlertDeserializationSchema(String job) {
        super(HotspotAlert.class, job);
    }

    @Override
    protected Problem validate(HotspotAlert alert, long nowMillis) {
        if (alert.getAlertId() == null || alert.getAlertId().isBlank()) {
            return new Problem("MISSING_FIELD", "alertId is empty");
        }
        if (alert.getState() == AlertState.UNKNOWN) {
            return new Problem("UNKNOWN_TYPE", "alert state unknown to this build");
        }
        if (alert.getLevel() == AlertLevel.UNKNOWN) {
            return new Problem("UNKNOWN_TYPE", "alert level unknown to this build");
        }
        return null;
    }

    @Override
    protected AlertEnvelope accepted(HotspotAlert alert, String topic, int partition, long offset) {
        return AlertEnvelope.accepted(alert, topic, partition, offset);
    }

    @Override
    protected AlertEnvelope rejected(DeadLetter deadLetter) {
        return AlertEnvelope.rejected(deadLetter);
    }

    @Override
    protected String eventIdOf(HotspotAlert alert) {
        return alert.getAlertId() + "#" + alert.getRevision();
    }

    @Override
    protected Instant eventTimeOf(HotspotAlert alert) {
        return alert.getEventTime();
    }

    @Override
    public TypeInformation<AlertEnvelope> getProducedType() {
        return TypeInformation.of(AlertEnvelope.class);
    }
}
