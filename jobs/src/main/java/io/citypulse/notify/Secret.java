package io.citypulse.notify;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A subscriber's signing secret. Its {@link #toString()} never shows the value, so a secret cannot
 * reach a log line or an exception message by accident; only {@link Signatures} reads it.
 */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    Secret(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty secret");
        }
        this.value = value;
    }

    String value() {
        return value;
    }

    byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
