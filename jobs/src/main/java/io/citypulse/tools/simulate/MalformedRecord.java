package io.citypulse.tools.simulate;

/**
 * An undecodable record written to a topic.
 *
 * @param kind {@code ticket} or {@code lead}: which topic it goes to
 * @param key Kafka key (the id of the entity it was made from, so it lands in that partition)
 * @param timestampMs Kafka record timestamp (the event time of the event it was made from)
 * @param variant how it is broken: {@code truncated} (an Avro record cut short), {@code
 *     unknown-schema} (a single-object header whose fingerprint no schema has), {@code garbage}
 *     (random bytes), {@code json} (the event as JSON text), {@code empty} (no bytes)
 * @param value the record value
 */
public record MalformedRecord(
        String kind, String key, long timestampMs, String variant, byte[] value) {}
