package io.avisstream.avis.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion with a tabulated {@link KaiserSincFilter}, computed the way resampy computes
 * it, so that {@code resample(x)} equals {@code resampy.resample(x, sourceRate, targetRate)} with the same filter
 * (to ~1e-15; the only difference is the last bits of the filter table).
 *
 * <p>Output sample {@code t} lies at input position {@code t * sourceRate / targetRate} (computed as
 * {@code t * (1 / (targetRate / sourceRate))} in double, as resampy does). Its value is the sum of the input samples
 * around that position weighted by the filter centred there: the integer part {@code n} of the position picks the
 * input sample, the fraction picks where in the table the taps fall, and each tap weight is interpolated linearly
 * between two neighbouring table entries. When going down in rate the filter is stretched by the rate ratio (its
 * cut-off moves to the output Nyquist) and its gain scaled by the same ratio; going up it is used as is. Taps
 * before the first or after the last input sample are left out (the signal is taken as zero there), which is why
 * each block resampled on its own has its own edge effects.
 *
 * <p>Immutable and thread-safe; the scaled tables are shared between instances of the same filter and rates.
 */
public final class SincResampler {

    private record Key(KaiserSincFilter filter, int sourceRate, int targetRate) {
    }

    private record Tables(double[] window, double[] delta) {
    }

    private static final Map<Key, Tables> TABLES = new ConcurrentHashMap<>();
    private static final Map<KaiserSincFilter, double[]> HALF_WINDOWS = new ConcurrentHashMap<>();

    private final int sourceRate;
    private final int targetRate;
    private final double timeIncrement;
    private final double scale;
    private final int pointsPerZero;
    private final int indexStep;
    private final double[] window;
    private final double[] delta;
    private final boolean identity;

    private SincResampler(KaiserSincFilter filter, int sourceRate, int targetRate) {
        if (sourceRate <= 0 || targetRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + sourceRate + " -> " + targetRate);
        }
        this.sourceRate = sourceRate;
        this.targetRate = targetRate;
        this.identity = sourceRate == targetRate;
        double ratio = (double) targetRate / sourceRate;
        this.timeIncrement = 1.0 / ratio;
        this.scale = Math.min(1.0, ratio);
        this.pointsPerZero = filter.pointsPerZero();
        this.indexStep = (int) (scale * pointsPerZero);
        Tables tables = TABLES.computeIfAbsent(new Key(filter, sourceRate, targetRate), k -> tables(filter, ratio));
        this.window = tables.window();
        this.delta = tables.delta();
    }

    public static SincResampler of(KaiserSincFilter filter, int sourceRate, int targetRate) {
        return new SincResampler(filter, sourceRate, targetRate);
    }

    private static Tables tables(KaiserSincFilter filter, double ratio) {
        double[] half = HALF_WINDOWS.computeIfAbsent(filter, KaiserSincFilter::halfWindow);
        double[] window = half.clone();
        if (ratio < 1.0) {
            for (int i = 0; i < window.length; i++) {
                window[i] = ratio * window[i];
            }
        }
        double[] delta = new double[window.length];
        for (int i = 0; i + 1 < window.length; i++) {
            delta[i] = window[i + 1] - window[i];
        }
        return new Tables(window, delta);
    }

    public int sourceRate() {
        return sourceRate;
    }

    public int targetRate() {
        return targetRate;
    }

    /** True when the rates are equal: samples pass through unchanged. */
    public boolean identity() {
        return identity;
    }

    /** Output samples for {@code inputLength} input samples: {@code floor(inputLength * target / source)}. */
    public long outputLength(long inputLength) {
        return (long) (inputLength * (double) targetRate / (double) sourceRate);
    }

    /**
     * Input samples an output sample may read on either side of its position (the filter's reach), so a streaming
     * caller knows how far ahead input must be buffered.
     */
    public int reach() {
        return identity ? 0 : window.length / indexStep + 1;
    }

    /** Input position (in input samples, from the block start) of output sample {@code t}. */
    public double position(long t) {
        return t * timeIncrement;
    }

    /** {@code x} resampled as one block: {@link #outputLength}(x.length) samples. */
    public double[] resample(double[] x) {
        double[] y = new double[(int) outputLength(x.length)];
        if (identity) {
            System.arraycopy(x, 0, y, 0, y.length);
            return y;
        }
        for (int t = 0; t < y.length; t++) {
            y[t] = sample(x, 0, x.length, t);
        }
        return y;
    }

    /**
     * Output sample {@code t} of a block of {@code blockLength} input samples, of which {@code buffer[i]} holds block
     * sample {@code bufferStart + i}. The buffer must hold every block sample within {@link #reach()} of the
     * sample's position (clipped to the block).
     */
    public double sample(double[] buffer, long bufferStart, long blockLength, long t) {
        double time = t * timeIncrement;
        long n = (long) time;
        if (identity) {
            return buffer[(int) (n - bufferStart)];
        }
        double y = 0.0;
        int at = (int) (n - bufferStart);
        // Left wing: the input sample at n and those before it.
        double frac = scale * (time - n);
        double indexFrac = frac * pointsPerZero;
        int offset = (int) indexFrac;
        double eta = indexFrac - offset;
        long leftTaps = Math.min(n + 1, (window.length - offset) / indexStep);
        for (int i = 0; i < leftTaps; i++) {
            int j = offset + i * indexStep;
            double weight = window[j] + eta * delta[j];
            y += weight * buffer[at - i];
        }
        // Right wing: the input samples after n, the filter read from the other side of the position.
        frac = scale - frac;
        indexFrac = frac * pointsPerZero;
        offset = (int) indexFrac;
        eta = indexFrac - offset;
        long rightTaps = Math.min(blockLength - n - 1, (window.length - offset) / indexStep);
        for (int k = 0; k < rightTaps; k++) {
            int j = offset + k * indexStep;
            double weight = window[j] + eta * delta[j];
            y += weight * buffer[at + k + 1];
        }
        return y;
    }
}
