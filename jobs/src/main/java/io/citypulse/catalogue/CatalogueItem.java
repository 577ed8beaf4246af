package io.citypulse.catalogue;

import java.io.Serializable;

/**
 * One matter of the catalogue (e.g. {@code NOISE-CONSTRUCTION}): tickets carry its code, aggregates
 * roll up to its major category, dispatch sends it to its agency, and its default resolution time
 * sets the ticket's due time.
 *
 * @param code item code, {@code MAJOR-ITEM}, unique in the catalogue
 * @param major major category the item rolls up to, e.g. {@code NOISE}
 * @param agency unit responsible for the item, e.g. {@code ECOLOGY_ENVIRONMENT}
 * @param resolutionHours default resolution time in hours (due time = creation + this)
 * @param name short English description
 */
public record CatalogueItem(
        String code, String major, String agency, int resolutionHours, String name)
        implements Serializable {

    public CatalogueItem {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("item code is blank");
        }
        if (major == null || !code.startsWith(major + "-")) {
            throw new IllegalArgumentException(
                    "item code " + code + " does not start with its major " + major + "-");
        }
        if (agency == null || agency.isBlank()) {
            throw new IllegalArgumentException("item " + code + " has no agency");
        }
        if (resolutionHours <= 0) {
            throw new IllegalArgumentException(
                    "item " + code + " has a non-positive resolution time " + resolutionHours);
        }
    }
}
