package io.citypulse.tools.importcsv;

/**
 * A mapping file cannot be used; the message names the file and the offending key (e.g. {@code
 * fields.channel.map}) so the fix is one look away.
 */
final class MappingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    MappingException(String file, String key, String message) {
        super(file + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + message);
        this.key = key;
    }

    /** The offending key path, e.g. {@code fields.channel.map}; empty for the whole file. */
    String key() {
        return key == null ? "" : key;
    }
}
