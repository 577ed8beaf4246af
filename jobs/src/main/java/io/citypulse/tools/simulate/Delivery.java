package io.citypulse.tools.simulate;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;

/**
 * One record as delivered when faults are injected: an event (possibly a duplicate or late) or a
 * malformed record, numbered in delivery order.
 *
 * @param seq position in the delivery order, from 1: the order of the Kafka writes and of the JSON
 *     lines
 * @param deliveryTimeMs the simulated time at which the record is delivered (event time plus the
 *     disorder, lateness or duplicate delay); drives {@code --speedup} pacing
 * @param fault what is wrong with it
 * @param event the {@link TicketEvent} or {@link LeadEvent}, or null for a malformed record
 * @param malformed the malformed record, or null
 */
public record Delivery(
        long seq, long deliveryTimeMs, Fault fault, Object event, MalformedRecord malformed) {

    public Delivery {
        if ((event == null) == (malformed == null)) {
            throw new IllegalArgumentException(
                    "a delivery is either an event or a malformed record");
        }
        if ((fault == Fault.MALFORMED) != (malformed != null)) {
            throw new IllegalArgumentException("only malformed records have fault MALFORMED");
        }
    }
}
