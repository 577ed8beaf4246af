package io.citypulse.dashboard;

/**
 * A request the API refuses with HTTP 400 (or 404 for an unknown panel): the message says what was
 * wrong and what is accepted, in words meant for whoever wrote the URL. It never echoes more than a
 * short, sanitized piece of the offending value.
 */
public final class BadRequestException extends Exception {

    private final int status;
    private final String parameter;

    public BadRequestException(int status, String parameter, String message) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    public static BadRequestException badParameter(String parameter, String message) {
        return new BadRequestException(400, parameter, message);
    }

    public int status() {
        return status;
    }

    /** The offending URL parameter, or null when the request as a whole is wrong. */
    public String parameter() {
        return parameter;
    }

    /** A value as it may appear in a message: at most 40 printable characters. */
    static String shown(String value) {
        String printable = value.replaceAll("[^\\p{L}\\p{N} _.:'/-]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
