package io.citypulse.notify;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a subscriber wants its message: the body it is sent and how success is recognised. */
public enum Format {
    /** The alert as plain JSON, for a receiver of our own. */
    WEBHOOK,
    /** WeCom (企业微信) group robot, markdown message; the robot key is part of the URL. */
    WECOM,
    /** DingTalk (钉钉) custom robot, markdown message; signed with its 加签 secret. */
    DINGTALK;

    /** The spelling used in the subscriptions file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The group-robot formats answer HTTP 200 with a JSON {@code errcode} (0 means success). */
    public boolean answersWithErrcode() {
        return this != WEBHOOK;
    }

    static Format parse(String text) {
        for (Format f : values()) {
            if (f.yamlName().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "format must be one of "
                        + Arrays.stream(values())
                                .map(Format::yamlName)
                                .collect(Collectors.joining(", "))
                        + ", got '"
                        + text
                        + "'");
    }
}
