package io.citypulse.tools.simulate;

import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Picks a catalogue item: first a major category by the city's weights, then an item within it, the
 * catalogue's first-listed (most frequent) items more often than the later ones (weights 1, 1/2,
 * 1/3, ...).
 */
final class CategoryMix {

    private final WeightedChoice<String> majors;
    private final Map<String, WeightedChoice<CatalogueItem>> items = new LinkedHashMap<>();

    /**
     * @param majorWeights relative weight of each major; every major must be in the catalogue
     */
    CategoryMix(Catalogue catalogue, Map<String, Double> majorWeights) {
        this.majors = WeightedChoice.of(majorWeights);
        for (String major : majorWeights.keySet()) {
            if (catalogue.itemsOf(major).isEmpty()) {
                throw new IllegalArgumentException(
                        "major category " + major + " has no items in the catalogue");
            }
            items.put(major, WeightedChoice.zipf(catalogue.itemsOf(major)));
        }
    }

    CatalogueItem pick(Rng rng) {
        return items.get(majors.pick(rng)).pick(rng);
    }

    /** An item of the given major (one draw, like the second half of {@link #pick}). */
    CatalogueItem pickWithin(String major, Rng rng) {
        WeightedChoice<CatalogueItem> choice = items.get(major);
        if (choice == null) {
            throw new IllegalArgumentException("major category " + major + " is not in the mix");
        }
        return choice.pick(rng);
    }

    /** Share of picks that fall in {@code major}. */
    double majorShare(String major) {
        return majors.probability(major);
    }

    /** Share of picks within its major that are {@code item}. */
    double itemShareWithinMajor(CatalogueItem item) {
        WeightedChoice<CatalogueItem> choice = items.get(item.major());
        return choice == null ? 0 : choice.probability(item);
    }
}
