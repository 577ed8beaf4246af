package io.citypulse.hotspot;

import io.citypulse.avro.DeadLetter;
import io.citypulse.counts.CountFact;
import io.citypulse.kafka.DeadLetters;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A fact the counter found past its window's allowed lateness. The gates reject such events before
 * they reach a counter, so this is a safety net: it keeps an unexpected case visible as a dead
 * letter ({@code LATE}) instead of losing it. Only the fact is known here, not the record's origin,
 * so partition and offset are -1 and the payload is empty.
 */
final class TooLateToDeadLetter implements MapFunction<CountFact, DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String topic;

    TooLateToDeadLetter(String job, String topic) {
        this.job = job;
        this.topic = topic;
    }

    @Override
    public DeadLetter map(CountFact fact) {
        return DeadLetters.of(
                job,
                "LATE",
                "counted nowhere: past the allowed lateness at the counter, key "
                        + fact.key.replace(CountFact.SEPARATOR, '|'),
                topic,
                -1,
                -1,
                null,
                Instant.ofEpochMilli(fact.time),
                new byte[0]);
    }
}
