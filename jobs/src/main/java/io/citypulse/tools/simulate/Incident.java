package io.citypulse.tools.simulate;

/**
 * A surge injected into the simulated city: for its duration, tickets of one major category
 * (optionally one item, optionally in one district) arrive at {@code multiplier} times their usual
 * rate. A lead-driven incident also has internet posts about it surge, starting earlier (people
 * post before they call): from {@code leadStartMs} to {@code endMs} at {@code leadMultiplier} times
 * the usual lead rate of the scope.
 *
 * @param id name used in the truth file (e.g. {@code I1}, or the one given in the incidents file)
 * @param categoryMajor major category, e.g. {@code WATER}
 * @param categoryCode one item of the major, e.g. {@code WATER-PIPE-BURST}, or null for any item
 *     (then items keep their usual mix)
 * @param district one district, or null for the whole city
 * @param startMs start of the ticket surge (inclusive), epoch ms
 * @param endMs end of the surge (exclusive)
 * @param multiplier rate of the scope during the surge relative to its usual rate (>= 1)
 * @param leadStartMs start of the lead surge, or null when the incident has none
 * @param leadMultiplier lead rate of the scope during the lead surge relative to its usual rate
 */
record Incident(
        String id,
        String categoryMajor,
        String categoryCode,
        String district,
        long startMs,
        long endMs,
        double multiplier,
        Long leadStartMs,
        double leadMultiplier) {

    /** Bounds that catch typos (a multiplier of 1000 is not a surge, it is a mistake). */
    static final double MAX_MULTIPLIER = 1000;

    Incident {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("incident id is blank");
        }
        if (categoryMajor == null || categoryMajor.isBlank()) {
            throw new IllegalArgumentException("incident " + id + " has no category");
        }
        if (categoryCode != null && !categoryCode.startsWith(categoryMajor + "-")) {
            throw new IllegalArgumentException(
                    "incident " + id + ": item " + categoryCode + " is not in " + categoryMajor);
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("incident " + id + " ends before it starts");
        }
        requireMultiplier(id, "multiplier", multiplier);
        if (leadStartMs != null) {
            if (leadStartMs >= endMs) {
                throw new IllegalArgumentException(
                        "incident " + id + ": the lead surge starts after the incident ends");
            }
            requireMultiplier(id, "lead multiplier", leadMultiplier);
        }
    }

    private static void requireMultiplier(String id, String what, double value) {
        if (!(value >= 1 && value <= MAX_MULTIPLIER)) {
            throw new IllegalArgumentException(
                    "incident "
                            + id
                            + ": "
                            + what
                            + " must be between 1 and "
                            + MAX_MULTIPLIER
                            + ": "
                            + value);
        }
    }

    boolean leadDriven() {
        return leadStartMs != null;
    }
}
