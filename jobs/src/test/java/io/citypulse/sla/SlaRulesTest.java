package io.citypulse.sla;

import static io.citypulse.sla.TicketScript.hours;
import static io.citypulse.sla.TicketScript.minutes;
import static io.citypulse.sla.TicketScript.ticket;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.kafka.TicketEnvelope;
import io.citypulse.sla.functions.SlaRules;
import io.citypulse.sla.records.BreachStatus;
import io.citypulse.sla.records.TicketState;
import io.citypulse.sla.records.TicketStep;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The SLA rules as plain functions of a history and an "as of" time: the boundary cases. */
class SlaRulesTest {

    private final SlaRules rules = new SlaRules(SlaLimits.defaults(), ZoneId.of("Asia/Shanghai"));

    private static TicketState history(TicketEnvelope... envelopes) {
        TicketState s = new TicketState();
        for (TicketEnvelope envelope : envelopes) {
            TicketEvent e = envelope.event;
            s.ticketId = e.getTicketId();
            s.addStep(
                    new TicketStep(
                            e.getEventId(),
                            e.getType(),
                            e.getEventTime().toEpochMilli(),
                            e.getAgency()));
            if (e.getType().name().equals("CREATED")) {
                s.createdAt = e.getEventTime().toEpochMilli();
                s.takeAttributes(e, true);
            }
        }
        return s;
    }

    @Test
    void shouldCountADispatchExactlyAtTheDeadlineAsOnTime() {
        TicketScript t = ticket("T").emergency();
        TicketState s = history(t.created(minutes(0)), t.dispatched(minutes(30), "FIRE"));
        assertThat(rules.evaluate(s, hours(1)).dispatch()).isNull();

        TicketState late = history(t.created(minutes(0)), t.dispatched(minutes(30) + 1, "FIRE"));
        assertThat(rules.evaluate(late, hours(1)).dispatch().status())
                .isEqualTo(BreachStatus.FULFILLED_LATE);
    }

    @Test
    void shouldSeeOnlyEventsUpToTheAsOfTime() {
        TicketScript t = ticket("T").general();
        TicketState s = history(t.created(minutes(0)), t.dispatched(minutes(150), "TRANSPORT"));
        assertThat(rules.evaluate(s, hours(2) - 1).dispatch()).isNull();
        assertThat(rules.evaluate(s, hours(2)).dispatch().status()).isEqualTo(BreachStatus.OPEN);
        assertThat(rules.evaluate(s, minutes(150)).dispatch().status())
                .isEqualTo(BreachStatus.FULFILLED_LATE);
        assertThat(rules.evaluate(s, minutes(150)).fact().latencyMs).isEqualTo(150 * 60_000L);
        assertThat(rules.evaluate(s, minutes(149)).fact()).isNull();
    }

    @Test
    void shouldCountAResolutionExactlyAtTheDueTimeAsOnTime() {
        TicketScript t = ticket("T").general().due(hours(24));
        TicketState s =
                history(
                        t.created(minutes(0)),
                        t.dispatched(minutes(5), "U"),
                        t.resolved(hours(24)));
        SlaRules.Evaluation ev = rules.evaluate(s, hours(48));
        assertThat(ev.resolution()).isNull();
        assertThat(ev.open()).isFalse();
        assertThat(ev.fact().resolution).isEqualTo("ON_TIME");
    }

    @Test
    void shouldTreatAReopenAtTheDueTimeThatStaysOpenAsABreach() {
        TicketScript t = ticket("T").general().due(hours(24));
        TicketState s =
                history(t.created(minutes(0)), t.resolved(hours(10)), t.reopened(hours(24)));
        assertThat(rules.evaluate(s, hours(24)).resolution().status()).isEqualTo(BreachStatus.OPEN);
    }

    @Test
    void shouldReportTheResolutionThatEndedTheLastOpenSpell() {
        TicketScript t = ticket("T").general().due(hours(24));
        TicketState s =
                history(
                        t.created(minutes(0)),
                        t.resolved(hours(30)),
                        t.closed(hours(31)),
                        t.reopened(hours(40)),
                        t.closed(hours(50)));
        SlaRules.Outcome r = rules.evaluate(s, hours(60)).resolution();
        assertThat(r.status()).isEqualTo(BreachStatus.FULFILLED_LATE);
        assertThat(r.fulfilled()).isEqualTo(hours(50));
        assertThat(rules.evaluate(s, hours(45)).resolution().status()).isEqualTo(BreachStatus.OPEN);
        assertThat(rules.evaluate(s, hours(35)).resolution().fulfilled()).isEqualTo(hours(30));
    }

    @Test
    void shouldEvaluateNothingBeforeCreationOrWithoutCreated() {
        TicketScript t = ticket("T").general().due(hours(-1)); // due before intake: bad data
        TicketState s = history(t.created(minutes(0)));
        assertThat(rules.evaluate(s, minutes(0) - 1)).isEqualTo(SlaRules.NOTHING);
        // At creation the due time has already passed: a breach from the start.
        assertThat(rules.evaluate(s, minutes(0)).resolution().status())
                .isEqualTo(BreachStatus.OPEN);

        TicketScript orphan = ticket("O").general();
        assertThat(rules.evaluate(history(orphan.dispatched(minutes(0), "U")), hours(10)))
                .isEqualTo(SlaRules.NOTHING);
    }

    @Test
    void shouldPutTheFactOnTheLocalDayOfTheFirstDispatch() {
        // 15:50 UTC on 2 Nov is 23:50 in Shanghai; 16:10 UTC is 00:10 on 3 Nov there.
        TicketScript t = ticket("T").general();
        TicketState s = history(t.created(hours(15)), t.dispatched(hours(16) + 10 * 60_000L, "U"));
        assertThat(rules.evaluate(s, hours(17)).fact().epochDay)
                .isEqualTo((int) java.time.LocalDate.parse("2026-11-03").toEpochDay());
    }
}
