package io.avisstream.avis.audio;

/**
 * A Kaiser-windowed sinc interpolation filter, stored as a finely sampled table of its right half (the filter is
 * symmetric), the kind of filter resampy uses for band-limited resampling.
 *
 * <p>The ideal low-pass {@code rolloff * sinc(rolloff * x)} (x in input samples, cut-off at {@code rolloff} times
 * Nyquist) is kept for {@code numZeros} zero crossings on each side, tapered by a Kaiser window with shape
 * {@code beta} that spans the whole filter, and tabulated at {@code 2^precisionBits} points per zero crossing.
 * Between table points a resampler interpolates linearly.
 *
 * @param numZeros zero crossings kept on each side of the centre
 * @param precisionBits log2 of the table points per zero crossing
 * @param rolloff cut-off as a fraction of the (lower) Nyquist frequency, in (0, 1]
 * @param beta Kaiser window shape parameter
 */
public record KaiserSincFilter(int numZeros, int precisionBits, double rolloff, double beta) {

    /**
     * resampy's default {@code kaiser_best} filter as shipped by resampy 0.3 and later (Debian's python3-resampy
     * 0.4.2): 50 zero crossings, 8192 points each, roll-off 0.917347, beta 12.9846. Its table is reproduced from
     * these four numbers to 1.7e-15. Gain when going to 16 kHz: 0.50 at 7.34 kHz, 0.19 at 7.5 kHz, 3e-4 at 7.9 kHz.
     */
    public static final KaiserSincFilter KAISER_BEST = new KaiserSincFilter(50, 13, 0.917347, 12.9846);

    /**
     * {@code kaiser_best} of resampy 0.2.x (2017-2021 installs): 64 zero crossings, 512 points each, roll-off
     * 0.9475937167399596, beta 14.769656459379492. Kept for features made with such an install.
     */
    public static final KaiserSincFilter KAISER_BEST_RESAMPY_0_2 =
            new KaiserSincFilter(64, 9, 0.9475937167399596, 14.769656459379492);

    public KaiserSincFilter {
        if (numZeros < 1 || precisionBits < 0 || precisionBits > 20) {
            throw new IllegalArgumentException("bad filter size: numZeros=" + numZeros + " precisionBits=" + precisionBits);
        }
        if (!(rolloff > 0.0 && rolloff <= 1.0) || !(beta >= 0.0)) {
            throw new IllegalArgumentException("bad filter shape: rolloff=" + rolloff + " beta=" + beta);
        }
    }

    /** Table points per zero crossing ({@code 2^precisionBits}). */
    public int pointsPerZero() {
        return 1 << precisionBits;
    }

    /**
     * The right half of the filter: {@code numZeros * pointsPerZero() + 1} values, entry i at
     * {@code x = i / pointsPerZero()} input samples from the centre; the last entry is at the window's edge.
     */
    public double[] halfWindow() {
        int points = numZeros * pointsPerZero();
        double step = (double) numZeros / points;
        double i0Beta = besselI0(beta);
        double[] table = new double[points + 1];
        for (int i = 0; i <= points; i++) {
            double x = i == points ? numZeros : i * step;
            double u = (double) i / points;
            double taper = besselI0(beta * Math.sqrt(Math.max(0.0, 1.0 - u * u))) / i0Beta;
            table[i] = taper * (rolloff * normalisedSinc(rolloff * x));
        }
        return table;
    }

    /** {@code sin(pi x) / (pi x)}, 1 at 0. */
    static double normalisedSinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (exact to ~1e-16 for x < 40). */
    static double besselI0(double x) {
        double quarterSquare = x * x / 4.0;
        double term = 1.0;
        double sum = 1.0;
        for (int k = 1; k < 500; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
