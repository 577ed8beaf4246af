package io.citypulse.notify;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which alerts a subscriber wants. An empty set means "all" for categories, districts and levels;
 * {@code states} defaults to every lifecycle state.
 *
 * @param categories major categories ({@code categoryMajor}); empty: all
 * @param districts districts; empty: all. An alert without a district (city-wide CATEGORY or ITEM
 *     alerts) passes a district filter only when {@code includeCityWide} is set
 * @param includeCityWide whether alerts without a district pass a non-empty district filter
 * @param levels treatment levels; empty: all
 * @param states lifecycle states to notify
 */
public record SubscriberFilter(
        Set<String> categories,
        Set<String> districts,
        boolean includeCityWide,
        Set<AlertLevel> levels,
        Set<AlertState> states)
        implements Serializable {

    /** The lifecycle states a subscriber gets unless it names others. */
    public static final Set<AlertState> ALL_STATES =
            Set.copyOf(
                    EnumSet.of(
                            AlertState.OPENED,
                            AlertState.UPDATED,
                            AlertState.ESCALATED,
                            AlertState.RESOLVED));

    public SubscriberFilter {
        categories = Set.copyOf(categories);
        districts = Set.copyOf(districts);
        levels = Set.copyOf(levels);
        states = Set.copyOf(states);
    }

    /** Everything: no category, district or level restriction, every state. */
    public static SubscriberFilter all() {
        return new SubscriberFilter(Set.of(), Set.of(), true, Set.of(), ALL_STATES);
    }

    public boolean matches(HotspotAlert alert) {
        if (!states.contains(alert.getState())) {
            return false;
        }
        if (!levels.isEmpty() && !levels.contains(alert.getLevel())) {
            return false;
        }
        if (!categories.isEmpty() && !categories.contains(alert.getCategoryMajor())) {
            return false;
        }
        if (districts.isEmpty()) {
            return true;
        }
        String district = alert.getDistrict();
        if (district == null || district.isEmpty()) {
            return includeCityWide;
        }
        return districts.contains(district);
    }
}
