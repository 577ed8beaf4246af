package io.citypulse.notify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates the subscriptions file (YAML) at startup, so a typo stops the job with a
 * message naming the file, the subscriber and the key instead of silently notifying nobody.
 *
 * <pre>
 * subscribers:
 *   - name: ops-webhook                      # unique; [A-Za-z0-9._-]
 *     endpoint: https://ops.example.org/hook  # http(s) URL
 *     format: webhook                         # webhook | wecom | dingtalk
 *     secretEnv: OPS_WEBHOOK_SECRET           # or secretFile: PATH (relative to this file)
 *     categories: [NOISE, TRAFFIC]            # major categories; empty/absent: all
 *     districts: [Futian]                     # empty/absent: all
 *     includeCityWide: true                   # alerts without a district pass a district filter
 *     levels: [SPIKE]                         # SPIKE, CASE_CATEGORY; empty/absent: all
 *     states: [OPENED, ESCALATED, RESOLVED]   # default: OPENED, UPDATED, ESCALATED, RESOLVED
 * </pre>
 *
 * <p>Secrets are never written in the file: an inline {@code secret:} is refused. A secret is
 * required for {@code webhook} (receivers verify the signature) and {@code dingtalk} (加签), and
 * optional for {@code wecom}, whose robot key is part of the URL.
 */
public final class Subscriptions {

    static final List<String> KEYS =
            List.of(
                    "name",
                    "endpoint",
                    "format",
                    "secretFile",
                    "secretEnv",
                    "categories",
                    "districts",
                    "includeCityWide",
                    "levels",
                    "states");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CATEGORY = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Subscriptions() {}

    /**
     * The subscribers in {@code file}; secrets from the files or the environment variables named.
     *
     * @throws IllegalArgumentException naming the file, the subscriber and what is wrong
     */
    public static List<Subscriber> load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--subscriptions: cannot read " + file + " (" + e.getMessage() + ")");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base, env, file.toString());
    }

    static List<Subscriber> parse(String yaml, Path base, Map<String, String> env, String where) {
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    where + ": not valid YAML: " + e.getOriginalMessage());
        }
        JsonNode list = root;
        if (root != null && root.isObject()) {
            checkKeys(root, List.of("subscribers"), where);
            list = root.get("subscribers");
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(
                    where + ": expected a non-empty list 'subscribers:' of subscribers");
        }
        List<Subscriber> subscribers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode node : list) {
            i++;
            String label = where + ": subscriber #" + i;
            if (!node.isObject()) {
                throw new IllegalArgumentException(label + ": expected a mapping of keys");
            }
            if (node.hasNonNull("name")) {
                label += " (" + node.get("name").asText() + ")";
            }
            Subscriber s = subscriber(node, base, env, label);
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(label + ": duplicate name '" + s.name() + "'");
            }
            subscribers.add(s);
        }
        return List.copyOf(subscribers);
    }

    private static Subscriber subscriber(
            JsonNode node, Path base, Map<String, String> env, String label) {
        if (node.has("secret")) {
            throw new IllegalArgumentException(
                    label
                            + ": inline 'secret' is not allowed (it would sit in a file that gets"
                            + " copied and committed); use 'secretFile: PATH' or 'secretEnv: NAME'");
        }
        checkKeys(node, KEYS, label);
        String name = requiredText(node, "name", label);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    label + ": name must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        URI endpoint = endpoint(requiredText(node, "endpoint", label), label);
        Format format;
        try {
            format = Format.parse(requiredText(node, "format", label));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage());
        }
        Secret secret = secret(node, format, base, env, label);
        Set<String> categories = strings(node, "categories", label);
        for (String c : categories) {
            if (!CATEGORY.matcher(c).matches()) {
                throw new IllegalArgumentException(
                        label
                                + ": categories: '"
                                + c
                                + "' is not a major category code (upper case, e.g. NOISE)");
            }
        }
        Set<String> districts = strings(node, "districts", label);
        boolean includeCityWide = true;
        if (node.has("includeCityWide")) {
            JsonNode v = node.get("includeCityWide");
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(
                        label
                                + ": includeCityWide must be true or false, got '"
                                + v.asText()
                                + "'");
            }
            includeCityWide = v.booleanValue();
        }
        Set<AlertLevel> levels =
                enums(node, "levels", AlertLevel.class, EnumSet.of(AlertLevel.UNKNOWN), label);
        Set<AlertState> states =
                enums(node, "states", AlertState.class, EnumSet.of(AlertState.UNKNOWN), label);
        if (!node.has("states")) {
            states = SubscriberFilter.ALL_STATES;
        } else if (states.isEmpty()) {
            throw new IllegalArgumentException(
                    label + ": states is empty: the subscriber would never be notified");
        }
        return new Subscriber(
                name,
                endpoint,
                format,
                secret,
                new SubscriberFilter(categories, districts, includeCityWide, levels, states));
    }

    private static URI endpoint(String text, String label) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    label + ": endpoint is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(
                    label + ": endpoint must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(label + ": endpoint has no host");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(label + ": endpoint must not have a #fragment");
        }
        return uri;
    }

    private static Secret secret(
            JsonNode node, Format format, Path base, Map<String, String> env, String label) {
        boolean hasFile = node.has("secretFile");
        boolean hasEnv = node.has("secretEnv");
        if (hasFile && hasEnv) {
            throw new IllegalArgumentException(
                    label + ": give either secretFile or secretEnv, not both");
        }
        if (!hasFile && !hasEnv) {
            if (format == Format.WECOM) {
                return null;
            }
            throw new IllegalArgumentException(
                    label
                            + ": format "
                            + format.yamlName()
                            + " needs a secret: 'secretFile: PATH' or 'secretEnv: NAME'");
        }
        if (hasEnv) {
            String var = requiredText(node, "secretEnv", label);
            if (!ENV_NAME.matcher(var).matches()) {
                throw new IllegalArgumentException(
                        label + ": secretEnv must name an environment variable, got '" + var + "'");
            }
            String value = env.get(var);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(
                        label + ": environment variable " + var + " (secretEnv) is not set");
            }
            return new Secret(value);
        }
        Path path = Path.of(requiredText(node, "secretFile", label));
        if (!path.isAbsolute() && base != null) {
            path = base.resolve(path);
        }
        String value;
        try {
            value = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    label
                            + ": cannot read secretFile "
                            + path
                            + " ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(label + ": secretFile " + path + " is empty");
        }
        return new Secret(value);
    }

    private static void checkKeys(JsonNode node, List<String> known, String label) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        label
                                + ": unknown key '"
                                + key
                                + "' (known: "
                                + String.join(", ", known)
                                + ")");
            }
        }
    }

    private static String requiredText(JsonNode node, String key, String label) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(label + ": '" + key + "' is required");
        }
        return v.asText().strip();
    }

    private static Set<String> strings(JsonNode node, String key, String label) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Set.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(label + ": " + key + " must be a list, e.g. [A, B]");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : v) {
            if (!e.isValueNode() || e.isNull() || e.asText().isBlank()) {
                throw new IllegalArgumentException(
                        label + ": " + key + " must hold plain non-empty values");
            }
            out.add(e.asText().strip());
        }
        return out;
    }

    private static <E extends Enum<E>> Set<E> enums(
            JsonNode node, String key, Class<E> type, Set<E> excluded, String label) {
        Set<E> out = EnumSet.noneOf(type);
        List<String> allowed =
                Arrays.stream(type.getEnumConstants())
                        .filter(c -> !excluded.contains(c))
                        .map(Enum::name)
                        .toList();
        for (String s : strings(node, key, label)) {
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException(
                        label
                                + ": "
                                + key
                                + ": unknown value '"
                                + s
                                + "' (one of "
                                + allowed.stream().collect(Collectors.joining(", "))
                                + ")");
            }
            out.add(Enum.valueOf(type, s));
        }
        return out;
    }
}
