package io.citypulse.tools.evaluate;

/**
 * One injected incident of the simulator's truth file ({@code --truth}), the fields scoring uses.
 *
 * @param ordinal position k of the incident; its tickets' ids carry {@code -I<k>-}
 * @param categoryCode the one item surging, or null for any item of the major
 * @param district the one district, or null for the whole city
 * @param start first instant of the ticket surge, epoch ms (inclusive)
 * @param end end of the surge, epoch ms (exclusive)
 * @param leadStart start of the lead surge for a lead-driven incident, else null
 */
public record TruthIncident(
        String id,
        int ordinal,
        String categoryMajor,
        String categoryCode,
        String district,
        long start,
        long end,
        double multiplier,
        boolean leadDriven,
        Long leadStart) {

    /** Scope in one line, e.g. {@code WATER-PIPE-BURST in Baoan} or {@code NOISE}. */
    public String scopeLabel() {
        return (categoryCode != null ? categoryCode : categoryMajor)
                + (district != null ? " in " + district : "");
    }
}
