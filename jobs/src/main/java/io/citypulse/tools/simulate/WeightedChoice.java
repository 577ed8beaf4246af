package io.citypulse.tools.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Picks one of a fixed list of values with given relative weights, in O(log n).
 *
 * <p>Built from an ordered map so the mapping from random number to value never depends on hash
 * order (which {@code Map.of} randomises per JVM run).
 */
final class WeightedChoice<T> {

    private final List<T> values;
    private final double[] cumulative;

    private WeightedChoice(List<T> values, double[] weights) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to choose from");
        }
        this.values = List.copyOf(values);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException(
                        "weight of " + values.get(i) + " is not a finite non-negative number");
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("all weights are zero");
        }
    }

    /** From an ordered map (use a {@link java.util.LinkedHashMap}) of value to weight. */
    static <T> WeightedChoice<T> of(Map<T, Double> weights) {
        List<T> values = new ArrayList<>(weights.keySet());
        double[] w = new double[values.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(values.get(i));
        }
        return new WeightedChoice<>(values, w);
    }

    /** Values with weights 1, 1/2, 1/3, ... in list order: a Zipf-like "first is most common". */
    static <T> WeightedChoice<T> zipf(List<T> values) {
        double[] w = new double[values.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1.0 / (i + 1);
        }
        return new WeightedChoice<>(values, w);
    }

    T pick(Rng rng) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        // binarySearch returns the match or -(insertion point) - 1; we want the first cumulative >
        // u.
        int index = i >= 0 ? i + 1 : -i - 1;
        while (index < cumulative.length - 1 && cumulative[index] <= u) {
            index++;
        }
        return values.get(Math.min(index, values.size() - 1));
    }

    /** Probability of {@code value} (0 if absent). */
    double probability(T value) {
        double total = cumulative[cumulative.length - 1];
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).equals(value)) {
                return (cumulative[i] - (i == 0 ? 0 : cumulative[i - 1])) / total;
            }
        }
        return 0;
    }
}
