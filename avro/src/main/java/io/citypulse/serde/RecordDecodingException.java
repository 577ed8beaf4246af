package io.citypulse.serde;

/**
 * A Kafka record value that could not be turned into a record. Carries a machine-readable {@link
 * Reason} so dead-letter handling can count and route it, and a message a person can act on.
 */
public final class RecordDecodingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a value could not be decoded. The names are the dead-letter reasons. */
    public enum Reason {
        /** Null or empty value. */
        EMPTY,
        /** The value does not start with the Avro single-object marker (C3 01). */
        NOT_SINGLE_OBJECT,
        /** The writer schema's fingerprint is in no schema version this reader knows. */
        UNKNOWN_SCHEMA,
        /** The header was fine but the body does not decode with the writer schema. */
        MALFORMED
    }

    private final Reason reason;

    public RecordDecodingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
