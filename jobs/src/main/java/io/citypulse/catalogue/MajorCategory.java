package io.citypulse.catalogue;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A major category (大类) of the catalogue, e.g. {@code NOISE}: the {@code categoryMajor} of events
 * and the unit that dashboards and spike detection aggregate to.
 *
 * @param code ASCII upper case, digits and {@code _} (no {@code -}, which separates it from the
 *     item part of item codes)
 * @param name English name
 * @param nameZh Chinese name
 */
public record MajorCategory(String code, String name, String nameZh) implements Serializable {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]+");

    public MajorCategory {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(
                    "major category code '" + code + "' is not ASCII upper case, digits and '_'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("major category " + code + " has no name");
        }
        nameZh = nameZh == null ? "" : nameZh;
    }
}
