package io.citypulse.tools.simulate;

import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Picks a catalogue item: first a major category by the city's weights, then an item within it, the
 * catalogue's first-listed (most frequent) items more often than the later ones.
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
}
