package io.citypulse.notify;

import java.io.Serializable;
import java.net.URI;

/**
 * One receiver of alert notifications, as configured in the subscriptions file.
 *
 * @param name unique name; part of every delivery record and of the delivery's Kafka key
 * @param endpoint where to POST; for WeCom and DingTalk the URL carries the robot's key or access
 *     token in its query string, so it is never logged in full (see {@link #endpointForLogs()})
 * @param format the message format
 * @param secret signing secret, or null (allowed for WeCom only)
 * @param filter which alerts it wants
 */
public record Subscriber(
        String name, URI endpoint, Format format, Secret secret, SubscriberFilter filter)
        implements Serializable {

    /** Scheme, host, port and path: the endpoint without user info, query or fragment. */
    public String endpointForLogs() {
        return endpoint.getScheme() + "://" + hostPort() + nullToEmpty(endpoint.getRawPath());
    }

    /**
     * What the per-endpoint concurrency bound counts against: host, port and path, so two robots of
     * one chat service (same host and path, different keys) share one bound, as the service's rate
     * limit would treat them.
     */
    public String endpointKey() {
        return hostPort() + nullToEmpty(endpoint.getRawPath());
    }

    private String hostPort() {
        int port = endpoint.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
        }
        return endpoint.getHost() + ":" + port;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public String toString() {
        // Neither the secret nor the query string (WeCom key, DingTalk access token).
        return "Subscriber{name="
                + name
                + ", endpoint="
                + endpointForLogs()
                + ", format="
                + format.yamlName()
                + ", signed="
                + (secret != null)
                + ", filter="
                + filter
                + "}";
    }
}
