package io.citypulse.tools.simulate;

/** A run failed for a reason the user can act on (e.g. Kafka unreachable); the message says how. */
public final class SimulationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
