package io.citypulse.tools.evaluate;

/**
 * One alert episode (one {@code alert_id}) as scoring sees it: the latest state's key fields.
 *
 * @param scope {@code CATEGORY}, {@code ITEM} or {@code DISTRICT}
 * @param categoryCode the item of an ITEM alert, else empty
 * @param district the district of a DISTRICT alert, else empty
 * @param openedAt event time the episode opened, epoch ms
 */
public record AlertRecord(
        String alertId,
        String scope,
        String categoryMajor,
        String categoryCode,
        String district,
        boolean leadDriven,
        long openedAt) {

    public AlertRecord {
        categoryCode = categoryCode == null ? "" : categoryCode;
        district = district == null ? "" : district;
        scope = scope == null ? "" : scope;
    }

    /** Key in one line, e.g. {@code ITEM WATER-PIPE-BURST} or {@code DISTRICT NOISE@Baoan}. */
    public String keyLabel() {
        return switch (scope) {
            case "ITEM" -> "ITEM " + categoryCode;
            case "DISTRICT" -> "DISTRICT " + categoryMajor + "@" + district;
            default -> scope + " " + categoryMajor;
        };
    }
}
