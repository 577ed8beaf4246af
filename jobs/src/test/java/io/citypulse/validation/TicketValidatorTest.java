package io.citypulse.validation;

import static io.citypulse.testutils.Tickets.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.avro.TicketEvent;
import io.citypulse.testutils.Tickets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TicketValidatorTest {

    private final TicketValidator validator = new TicketValidator(Duration.ofHours(1));
    private final long now = BEGINNING.toEpochMilli();

    private String reason(TicketEvent e) {
        Problem p = validator.check(e, now);
        return p == null ? null : p.reason();
    }

    @Test
    void shouldAcceptAnOrdinaryEvent() {
        assertThat(reason(Tickets.created(BEGINNING, "NOISE-CONSTRUCTION", "Futian"))).isNull();
    }

    @Test
    void shouldAcceptClockSkewUpToTheLimitAndRejectBeyond() {
        TicketEvent justInside =
                Tickets.created(BEGINNING.plus(Duration.ofHours(1)), "NOISE-X", "Futian");
        TicketEvent beyond =
                Tickets.created(
                        BEGINNING.plus(Duration.ofHours(1)).plusMillis(1), "NOISE-X", "Futian");

        assertThat(reason(justInside)).isNull();
        assertThat(reason(beyond)).isEqualTo("INVALID_TIME");
    }

    @Test
    void shouldRejectEmptyIdsAndDimensions() {
        TicketEvent noTicket = Tickets.created(BEGINNING, "NOISE-X", "Futian");
        noTicket.setTicketId("");
        TicketEvent noDistrict = Tickets.created(BEGINNING, "NOISE-X", " ");
        TicketEvent noCode = Tickets.created(BEGINNING, "NOISE-X", "Futian");
        noCode.setCategoryCode("");

        assertThat(reason(noTicket)).isEqualTo("MISSING_FIELD");
        assertThat(reason(noDistrict)).isEqualTo("MISSING_FIELD");
        assertThat(reason(noCode)).isEqualTo("MISSING_FIELD");
    }
}
