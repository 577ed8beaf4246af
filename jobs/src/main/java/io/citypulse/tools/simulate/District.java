package io.citypulse.tools.simulate;

import java.util.List;

/**
 * A district of the simulated city.
 *
 * @param name ASCII name used as the {@code district} value of events, e.g. {@code Baoan}
 * @param population resident population in units of 10,000 (2020 census); tickets and leads are
 *     spread over districts in proportion to it
 * @param lat approximate latitude of the district's centre
 * @param lon approximate longitude of the district's centre
 * @param spreadDegrees standard deviation, in degrees, of generated points around the centre
 * @param streets sub-districts (街道), ASCII names, used as the {@code street} value
 */
record District(
        String name,
        double population,
        double lat,
        double lon,
        double spreadDegrees,
        List<String> streets) {

    District {
        if (streets.isEmpty()) {
            throw new IllegalArgumentException("district " + name + " has no streets");
        }
        streets = List.copyOf(streets);
    }
}
