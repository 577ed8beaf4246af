package io.citypulse.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures: ours ({@code X-CityPulse-Signature}) and DingTalk's 加签. */
public final class Signatures {

    /** Header carrying {@code sha256=<hex HMAC-SHA256 of the exact body bytes>}. */
    public static final String SIGNATURE_HEADER = "X-CityPulse-Signature";

    private Signatures() {}

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static String hmacSha256Hex(byte[] key, byte[] data) {
        return HexFormat.of().formatHex(hmacSha256(key, data));
    }

    /** The {@code X-CityPulse-Signature} value for a body: {@code sha256=<hex>}. */
    static String signatureHeader(Secret secret, byte[] body) {
        return "sha256=" + hmacSha256Hex(secret.bytes(), body);
    }

    /**
     * DingTalk's 加签: Base64 of HMAC-SHA256 over {@code timestamp + "\n" + secret}, keyed with the
     * secret (not yet URL-encoded). DingTalk refuses a timestamp more than an hour from its clock.
     */
    static String dingTalkSign(long timestampMillis, Secret secret) {
        byte[] data = (timestampMillis + "\n" + secret.value()).getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(hmacSha256(secret.bytes(), data));
    }

    /** The robot URL with {@code timestamp} and URL-encoded {@code sign} query parameters. */
    static URI dingTalkSignedUrl(URI endpoint, long timestampMillis, Secret secret) {
        String url = endpoint.toString();
        String sep = endpoint.getRawQuery() == null ? "?" : "&";
        return URI.create(
                url
                        + sep
                        + "timestamp="
                        + timestampMillis
                        + "&sign="
                        + URLEncoder.encode(
                                dingTalkSign(timestampMillis, secret), StandardCharsets.UTF_8));
    }
}
