package io.citypulse.catalogue;

import java.io.Serializable;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One matter of the catalogue (e.g. {@code NOISE-CONSTRUCTION}): tickets carry its code, aggregates
 * roll up to its major category, dispatch sends it to its agency, and its default resolution time
 * sets the ticket's due time.
 *
 * @param code item code, {@code MAJOR-ITEM}: ASCII upper case, digits and {@code -}; unique
 * @param major major category the item rolls up to, e.g. {@code NOISE}
 * @param agency unit responsible for the item, e.g. {@code ECOLOGY_ENVIRONMENT}
 * @param resolutionHours default resolution time in hours (due time = creation + this)
 * @param dispatchLimitMinutes a dispatch deadline stricter than the platform's (30 min emergency, 2
 *     h general) for this item, or 0 when the platform's applies
 * @param name short English description
 * @param nameZh short Chinese description
 */
public record CatalogueItem(
        String code,
        String major,
        String agency,
        int resolutionHours,
        int dispatchLimitMinutes,
        String name,
        String nameZh)
        implements Serializable {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]+(-[A-Z0-9]+)+");

    public CatalogueItem {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("item code is blank");
        }
        if (major == null || !code.startsWith(major + "-")) {
            throw new IllegalArgumentException(
                    "item code " + code + " does not start with its major " + major + "-");
        }
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(
                    "item code "
                            + code
                            + " is not ASCII upper case, digits and '-' (like NOISE-CONSTRUCTION)");
        }
        if (agency == null || agency.isBlank()) {
            throw new IllegalArgumentException("item " + code + " has no agency");
        }
        if (resolutionHours <= 0) {
            throw new IllegalArgumentException(
                    "item " + code + " has a non-positive resolution time " + resolutionHours);
        }
        if (dispatchLimitMinutes < 0) {
            throw new IllegalArgumentException(
                    "item " + code + " has a negative dispatch limit " + dispatchLimitMinutes);
        }
        name = name == null ? "" : name;
        nameZh = nameZh == null ? "" : nameZh;
    }

    /** The item's own dispatch deadline in minutes, if it is stricter than the platform's. */
    public OptionalInt dispatchLimit() {
        return dispatchLimitMinutes == 0
                ? OptionalInt.empty()
                : OptionalInt.of(dispatchLimitMinutes);
    }
}
