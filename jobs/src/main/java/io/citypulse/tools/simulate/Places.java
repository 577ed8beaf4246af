package io.citypulse.tools.simulate;

import io.citypulse.avro.Location;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where problems happen: a district in proportion to its population, a street within it, and a
 * point scattered around the district's centre.
 */
final class Places {

    private static final double COORDINATE_SCALE = 1e5; // ~1 m; keeps JSON short and stable

    private final WeightedChoice<District> districts;
    private final Map<String, District> byName = new LinkedHashMap<>();

    Places(CityModel city) {
        Map<District, Double> byPopulation = new LinkedHashMap<>();
        for (District district : city.districts()) {
            byPopulation.put(district, district.population());
            byName.put(district.name(), district);
        }
        this.districts = WeightedChoice.of(byPopulation);
    }

    /** A district, in proportion to population. */
    District district(Rng rng) {
        return districts.pick(rng);
    }

    /** Share of picks of {@link #district} that are the named district. */
    double districtShare(String name) {
        return districts.probability(districtNamed(name));
    }

    District districtNamed(String name) {
        District district = byName.get(name);
        if (district == null) {
            throw new IllegalArgumentException("unknown district " + name);
        }
        return district;
    }

    /** A street of the district, or null (unknown) with probability {@code unknownShare}. */
    String street(District district, Rng rng, double unknownShare) {
        if (rng.chance(unknownShare)) {
            return null;
        }
        return district.streets().get(rng.nextInt(district.streets().size()));
    }

    /** A point around the district's centre (normal scatter), rounded to about a metre. */
    Location point(District district, Rng rng) {
        double lat = district.lat() + rng.gaussian() * district.spreadDegrees();
        double lon = district.lon() + rng.gaussian() * district.spreadDegrees();
        return new Location(round(lat), round(lon));
    }

    private static double round(double degrees) {
        return Math.round(degrees * COORDINATE_SCALE) / COORDINATE_SCALE;
    }
}
