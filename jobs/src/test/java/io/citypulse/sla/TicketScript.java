package io.citypulse.sla;

import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.kafka.TicketEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-data builder for the events of one ticket: {@code ticket("T1").general().due(hours(72))}
 * then {@code created(at(0))}, {@code dispatched(minutes(10), "TRANSPORT")}, ... Each call makes a
 * new event with the next eventId of the ticket; {@link #again} re-delivers one unchanged.
 */
final class TicketScript {

    /** 2026-11-02 08:00 Asia/Shanghai. */
    static final Instant BEGINNING = Instant.parse("2026-11-02T00:00:00Z");

    private static final AtomicLong OFFSETS = new AtomicLong();

    private final String ticketId;
    private Urgency urgency = Urgency.GENERAL;
    private boolean expedited;
    private String code = "ROADS-POTHOLE";
    private Instant due = BEGINNING.plus(Duration.ofHours(72));
    private int next = 1;

    private TicketScript(String ticketId) {
        this.ticketId = ticketId;
    }

    static TicketScript ticket(String ticketId) {
        return new TicketScript(ticketId);
    }

    static long minutes(long n) {
        return BEGINNING.plus(Duration.ofMinutes(n)).toEpochMilli();
    }

    static long hours(long n) {
        return BEGINNING.plus(Duration.ofHours(n)).toEpochMilli();
    }

    static long days(long n) {
        return BEGINNING.plus(Duration.ofDays(n)).toEpochMilli();
    }

    TicketScript emergency() {
        urgency = Urgency.EMERGENCY;
        return this;
    }

    TicketScript general() {
        urgency = Urgency.GENERAL;
        return this;
    }

    TicketScript expedited() {
        expedited = true;
        return this;
    }

    TicketScript code(String itemCode) {
        code = itemCode;
        return this;
    }

    /** Resolution due time, epoch ms; null for none. */
    TicketScript due(Long epochMs) {
        due = epochMs == null ? null : Instant.ofEpochMilli(epochMs);
        return this;
    }

    String id() {
        return ticketId;
    }

    TicketEnvelope created(long at) {
        return event(TicketEventType.CREATED, at, null);
    }

    TicketEnvelope dispatched(long at, String agency) {
        return event(TicketEventType.DISPATCHED, at, agency);
    }

    TicketEnvelope returned(long at, String agency) {
        return event(TicketEventType.RETURNED, at, agency);
    }

    TicketEnvelope accepted(long at, String agency) {
        return event(TicketEventType.ACCEPTED, at, agency);
    }

    TicketEnvelope resolved(long at) {
        return event(TicketEventType.RESOLVED, at, null);
    }

    TicketEnvelope closed(long at) {
        return event(TicketEventType.CLOSED, at, null);
    }

    TicketEnvelope reopened(long at) {
        return event(TicketEventType.REOPENED, at, null);
    }

    /** The same event delivered again (same eventId), as Kafka does after a retry or replay. */
    static TicketEnvelope again(TicketEnvelope delivered) {
        TicketEvent copy = TicketEvent.newBuilder(delivered.event).build();
        return TicketEnvelope.accepted(copy, "tickets", 0, OFFSETS.incrementAndGet());
    }

    private TicketEnvelope event(TicketEventType type, long at, String agency) {
        String major = code.contains("-") ? code.substring(0, code.indexOf('-')) : code;
        TicketEvent e =
                TicketEvent.newBuilder()
                        .setEventId(ticketId + "#" + next++)
                        .setTicketId(ticketId)
                        .setType(type)
                        .setEventTime(Instant.ofEpochMilli(at))
                        .setChannel("HOTLINE")
                        .setCategoryCode(code)
                        .setCategoryMajor(major)
                        .setDistrict("Futian")
                        .setAgency(agency)
                        .setUrgency(urgency)
                        .setExpedited(expedited)
                        .setDueTime(due)
                        .build();
        return TicketEnvelope.accepted(e, "tickets", 0, OFFSETS.incrementAndGet());
    }
}
