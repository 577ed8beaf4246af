package io.citypulse.tools.simulate;

/** The command line is wrong; the message says what to fix. */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
