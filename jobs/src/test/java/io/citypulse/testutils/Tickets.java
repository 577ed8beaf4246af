package io.citypulse.testutils;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.kafka.TicketEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Test-data builder for ticket events, with named instants. */
public final class Tickets {

    /** 2026-11-02 08:00 Asia/Shanghai, the start of a 5-minute window. */
    public static final Instant BEGINNING = Instant.parse("2026-11-02T00:00:00Z");

    public static final Instant ONE_MINUTE_LATER = BEGINNING.plus(Duration.ofMinutes(1));
    public static final Instant FOUR_MINUTES_LATER = BEGINNING.plus(Duration.ofMinutes(4));
    public static final Instant SIX_MINUTES_LATER = BEGINNING.plus(Duration.ofMinutes(6));
    public static final Instant TWENTY_MINUTES_LATER = BEGINNING.plus(Duration.ofMinutes(20));

    private static final AtomicLong SEQ = new AtomicLong();

    private Tickets() {}

    public static TicketEvent event(
            TicketEventType type, Instant at, String code, String district) {
        long n = SEQ.incrementAndGet();
        String major = code.contains("-") ? code.substring(0, code.indexOf('-')) : code;
        return TicketEvent.newBuilder()
                .setEventId("e-" + n)
                .setTicketId("t-" + n)
                .setType(type)
                .setEventTime(at)
                .setChannel("HOTLINE")
                .setCategoryCode(code)
                .setCategoryMajor(major)
                .setDistrict(district)
                .setUrgency(Urgency.GENERAL)
                .build();
    }

    public static TicketEvent created(Instant at, String code, String district) {
        return event(TicketEventType.CREATED, at, code, district);
    }

    public static TicketEnvelope envelope(TicketEvent event) {
        return TicketEnvelope.accepted(event, "tickets", 0, SEQ.incrementAndGet());
    }

    public static TicketEnvelope createdEnvelope(Instant at, String code, String district) {
        return envelope(created(at, code, district));
    }
}
