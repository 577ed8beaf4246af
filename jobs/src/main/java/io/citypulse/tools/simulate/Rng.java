package io.citypulse.tools.simulate;

/**
 * A small, fully specified pseudo-random generator (SplitMix64) with the distributions the
 * simulator needs.
 *
 * <p>Why not {@code java.util.Random} or {@code SplittableRandom}: the output of the simulator must
 * be byte-identical for a seed on every JDK and CPU, forever, so that a run can be reproduced from
 * its command line. This class fixes the algorithm, and the continuous distributions use {@link
 * StrictMath}, whose results are specified bit for bit (unlike {@link Math}, which may use CPU
 * intrinsics).
 *
 * <p>Streams are derived, not shared: every hour of every entity kind, and every entity within it,
 * gets its own generator from {@link #derive}, so adding a draw to one ticket's lifecycle does not
 * shift the randomness of every later ticket, and any hour can be generated without the hours
 * before it.
 */
final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** A generator whose seed is a hash of the given parts (order matters). */
    static Rng derive(long... parts) {
        long h = 0x632BE59BD9B4E019L;
        for (long part : parts) {
            h = mix64(h + GOLDEN_GAMMA + mix64(part));
        }
        return new Rng(h);
    }

    /** The SplitMix64 finalizer: a bijective 64-bit hash. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    /** True with probability {@code p}. */
    boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Box-Muller; one draw per call keeps the stream simple). */
    double gaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Exponential with the given mean. */
    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - nextDouble());
    }

    /** Log-normal with the given median and shape {@code sigma} (of the underlying normal). */
    double logNormal(double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian());
    }

    /**
     * Log-normal with the given median, redrawn until it falls below {@code limit}: a delay that is
     * known to be on time but keeps a realistic skewed shape.
     */
    double logNormalBelow(double median, double sigma, double limit) {
        for (int attempt = 0; attempt < 64; attempt++) {
            double value = logNormal(median, sigma);
            if (value < limit) {
                return value;
            }
        }
        return limit * nextDouble(); // unreachable for sane parameters; keeps the bound
    }

    /** Uniform in [from, to). */
    double uniform(double from, double to) {
        return from + (to - from) * nextDouble();
    }
}
