package io.citypulse.sla;

import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import io.citypulse.common.Args;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The SLA limits: how long after intake a ticket must be dispatched and, when it carries no due
 * time, resolved. Read from {@value #DEFAULT_RESOURCE} (shipped defaults) with an optional file on
 * top ({@code --sla-limits FILE}); the keys are explained in the default file.
 *
 * <ul>
 *   <li>Dispatch limit of a ticket: the strictest of the urgency's limit ({@code
 *       dispatch.emergency}, {@code dispatch.general}), the expedited limit of that urgency if the
 *       ticket is expedited ({@code dispatch.expedited.*}), the item's configured limit ({@code
 *       item.CODE.dispatch}) and the catalogue item's own dispatch limit (when {@code catalogue} is
 *       true). An override can only tighten the platform's promise.
 *   <li>Resolution limit (used only when the ticket has no {@code dueTime}): {@code
 *       item.CODE.resolution}, else the catalogue item's default resolution time (when {@code
 *       catalogue} is true and the item is in it), else {@code resolution.default}.
 * </ul>
 */
public final class SlaLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_RESOURCE = "/io/citypulse/sla/sla-limits.properties";

    private final long emergencyMs;
    private final long generalMs;
    private final Long expeditedEmergencyMs;
    private final Long expeditedGeneralMs;
    private final Map<String, Long> itemDispatchMs;
    private final Map<String, Long> itemResolutionMs;
    private final Map<String, Long> catalogueDispatchMs;
    private final Map<String, Long> catalogueResolutionMs;
    private final long defaultResolutionMs;

    private SlaLimits(
            long emergencyMs,
            long generalMs,
            Long expeditedEmergencyMs,
            Long expeditedGeneralMs,
            Map<String, Long> itemDispatchMs,
            Map<String, Long> itemResolutionMs,
            Map<String, Long> catalogueDispatchMs,
            Map<String, Long> catalogueResolutionMs,
            long defaultResolutionMs) {
        this.emergencyMs = emergencyMs;
        this.generalMs = generalMs;
        this.expeditedEmergencyMs = expeditedEmergencyMs;
        this.expeditedGeneralMs = expeditedGeneralMs;
        this.itemDispatchMs = itemDispatchMs;
        this.itemResolutionMs = itemResolutionMs;
        this.catalogueDispatchMs = catalogueDispatchMs;
        this.catalogueResolutionMs = catalogueResolutionMs;
        this.defaultResolutionMs = defaultResolutionMs;
    }

    /** The shipped defaults. */
    public static SlaLimits defaults() {
        return load(null);
    }

    /** The shipped defaults with {@code file} (may be null) read on top. */
    public static SlaLimits load(String file) {
        Properties props = new Properties();
        try (InputStream in = SlaLimits.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is not on the classpath");
            }
            props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
        if (file != null) {
            try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --sla-limits " + file + ": " + e);
            }
        }
        return fromProperties(props, file == null ? DEFAULT_RESOURCE : file);
    }

    /** Builds the limits from properties; unknown keys and bad durations are errors. */
    static SlaLimits fromProperties(Properties props, String source) {
        Map<String, String> p = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> p.put(k.strip(), props.getProperty(k).strip()));
        Map<String, Long> itemDispatch = new HashMap<>();
        Map<String, Long> itemResolution = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("item.") && key.endsWith(".dispatch")) {
                String code = key.substring(5, key.length() - ".dispatch".length());
                itemDispatch.put(code, positive(source, key, e.getValue()));
            } else if (key.startsWith("item.") && key.endsWith(".resolution")) {
                String code = key.substring(5, key.length() - ".resolution".length());
                itemResolution.put(code, positive(source, key, e.getValue()));
            } else if (!List.of(
                            "dispatch.emergency",
                            "dispatch.general",
                            "dispatch.expedited.emergency",
                            "dispatch.expedited.general",
                            "catalogue",
                            "resolution.default")
                    .contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": unknown SLA limit key(s) " + String.join(", ", unknown));
        }
        String useCatalogue = p.getOrDefault("catalogue", "true");
        if (!useCatalogue.equals("true") && !useCatalogue.equals("false")) {
            throw new IllegalArgumentException(
                    source + ": catalogue must be true or false, got " + useCatalogue);
        }
        Map<String, Long> catalogueDispatch = new HashMap<>();
        Map<String, Long> catalogueResolution = new HashMap<>();
        if (useCatalogue.equals("true")) {
            for (CatalogueItem item : Catalogue.load().items()) {
                catalogueResolution.put(
                        item.code(), Duration.ofHours(item.resolutionHours()).toMillis());
                item.dispatchLimit()
                        .ifPresent(
                                m ->
                                        catalogueDispatch.put(
                                                item.code(), Duration.ofMinutes(m).toMillis()));
            }
        }
        return new SlaLimits(
                required(source, p, "dispatch.emergency"),
                required(source, p, "dispatch.general"),
                optional(source, p, "dispatch.expedited.emergency"),
                optional(source, p, "dispatch.expedited.general"),
                Map.copyOf(itemDispatch),
                Map.copyOf(itemResolution),
                Map.copyOf(catalogueDispatch),
                Map.copyOf(catalogueResolution),
                required(source, p, "resolution.default"));
    }

    private static long required(String source, Map<String, String> p, String key) {
        Long v = optional(source, p, key);
        if (v == null) {
            throw new IllegalArgumentException(source + ": " + key + " is not set");
        }
        return v;
    }

    private static Long optional(String source, Map<String, String> p, String key) {
        String v = p.get(key);
        return v == null || v.isEmpty() ? null : positive(source, key, v);
    }

    private static long positive(String source, String key, String value) {
        long ms = Args.parseDuration(source + ": " + key, value).toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException(source + ": " + key + " must be positive");
        }
        return ms;
    }

    /** Dispatch limit in ms: the strictest of urgency, expedited and item limits that apply. */
    public long dispatchLimitMs(String urgency, boolean expedited, String categoryCode) {
        boolean emergency = Urgency.EMERGENCY.name().equals(urgency);
        long limit = emergency ? emergencyMs : generalMs;
        Long exp = emergency ? expeditedEmergencyMs : expeditedGeneralMs;
        if (expedited && exp != null) {
            limit = Math.min(limit, exp);
        }
        Long item = itemDispatchMs.get(categoryCode);
        if (item != null) {
            limit = Math.min(limit, item);
        }
        Long catalogue = catalogueDispatchMs.get(categoryCode);
        if (catalogue != null) {
            limit = Math.min(limit, catalogue);
        }
        return limit;
    }

    /** Resolution limit in ms, counted from creation, for a ticket without a due time. */
    public long resolutionLimitMs(String categoryCode) {
        Long item = itemResolutionMs.get(categoryCode);
        if (item != null) {
            return item;
        }
        Long catalogue = catalogueResolutionMs.get(categoryCode);
        return catalogue != null ? catalogue : defaultResolutionMs;
    }

    @Override
    public String toString() {
        return "SlaLimits{emergency="
                + Duration.ofMillis(emergencyMs)
                + ", general="
                + Duration.ofMillis(generalMs)
                + ", expedited="
                + expeditedEmergencyMs
                + "/"
                + expeditedGeneralMs
                + " ms, items="
                + itemDispatchMs.size()
                + "+"
                + itemResolutionMs.size()
                + ", catalogue items="
                + catalogueResolutionMs.size()
                + " ("
                + catalogueDispatchMs.size()
                + " with a dispatch limit)"
                + ", resolution default="
                + Duration.ofMillis(defaultResolutionMs)
                + "}";
    }
}
