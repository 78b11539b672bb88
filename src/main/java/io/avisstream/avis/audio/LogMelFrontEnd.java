package io.avisstream.avis.audio;

import io.avisstream.avis.message.AudioFormat;

/**
 * VGGish-compatible log-mel front end (spec {@code acvis-spec.md} §2.3; Python reference {@code engines/acvis/mel.py}).
 *
 * <p>16 kHz mono PCM (float, full scale 1.0, widened to double), 400-sample periodic-Hann windows with hop 160 (no centring), |rfft| with FFT length 512
 * (magnitude, not power), 64 triangular HTK-mel bands between 125 and 7500 Hz (DC weight 0, not
 * area-normalised), {@code ln(mel + 0.01)}, then the first 96-frame example: one 96x64 patch for
 * {@value #PATCH_SAMPLES} samples. Arithmetic is in double, as the official numpy code; the patch is returned
 * as float32 because that is what the audio graph takes.
 *
 * <p>Immutable tables are shared; per-call scratch arrays are allocated per call (small, 257 doubles per frame)
 * so one instance is safe to share between threads.
 */
public final class LogMelFrontEnd {

    public static final int WINDOW_LENGTH = 400;
    public static final int HOP_LENGTH = 160;
    public static final int FFT_LENGTH = 512;
    public static final int SPECTROGRAM_BINS = FFT_LENGTH / 2 + 1;
    public static final int MEL_BANDS = 64;
    public static final double MEL_MIN_HZ = 125.0;
    public static final double MEL_MAX_HZ = 7500.0;
    public static final double LOG_OFFSET = 0.01;
    public static final int PATCH_FRAMES = 96;
    /** 95 hops + one window: the samples one patch depends on (0.975 s). */
    public static final int PATCH_SAMPLES = (PATCH_FRAMES - 1) * HOP_LENGTH + WINDOW_LENGTH;
    /** Floats in one patch (96 x 64, time-major). */
    public static final int PATCH_LENGTH = PATCH_FRAMES * MEL_BANDS;

    private final double[] hann = periodicHann(WINDOW_LENGTH);
    /** Mel weights [bin][band]; bins whose weights are all zero are skipped via {@link #firstBin}/{@link #lastBin}. */
    private final double[][] melWeights = melMatrix();
    private final int[] firstBin = new int[MEL_BANDS];
    private final int[] lastBin = new int[MEL_BANDS];
    private final Fft fft = new Fft(FFT_LENGTH);

    public LogMelFrontEnd() {
        for (int band = 0; band < MEL_BANDS; band++) {
            int first = -1;
            int last = -2;
            for (int bin = 0; bin < SPECTROGRAM_BINS; bin++) {
                if (melWeights[bin][band] != 0.0) {
                    if (first < 0) {
                        first = bin;
                    }
                    last = bin;
                }
            }
            firstBin[band] = Math.max(first, 0);
            lastBin[band] = last;
        }
    }

    /** HTK mel scale {@code 1127 ln(1 + f / 700)}. */
    public static double hertzToMel(double hertz) {
        return 1127.0 * Math.log(1.0 + hertz / 700.0);
    }

    /**
     * The 96x64 patch of one window of 16 kHz PCM at full scale 1.0 (an s16 sample s is s / 32768), time-major. Only the first
     * {@value #PATCH_SAMPLES} samples are used; a shorter window yields an all-zero patch, as the official
     * extractor does for audio past the end of the soundtrack.
     */
    public float[] patch(float[] pcm) {
        float[] out = new float[PATCH_LENGTH];
        patchInto(pcm, out, 0);
        return out;
    }

    /**
     * The patch the model gets for a frame's window: computed only when every sample of the window arrived
     * ({@code complete}); otherwise {@code null}, meaning the all-zero patch. That is the official rule: a second
     * with fewer than {@value #PATCH_SAMPLES} samples at 16 kHz (past the end of the soundtrack) gives zeros, not a
     * patch of zero-filled audio. The frame keeps its {@code partial}/{@code missing} audio flag either way.
     */
    public float[] modelPatch(float[] pcm, boolean complete) {
        return complete ? patch(pcm) : null;
    }

    /** Writes the patch of {@code pcm} into {@code out[offset .. offset + PATCH_LENGTH)}. */
    public void patchInto(float[] pcm, float[] out, int offset) {
        if (pcm.length < PATCH_SAMPLES) {
            java.util.Arrays.fill(out, offset, offset + PATCH_LENGTH, 0f);
            return;
        }
        double[] re = new double[FFT_LENGTH];
        double[] im = new double[FFT_LENGTH];
        double[] magnitude = new double[SPECTROGRAM_BINS];
        for (int frame = 0; frame < PATCH_FRAMES; frame++) {
            int start = frame * HOP_LENGTH;
            for (int n = 0; n < WINDOW_LENGTH; n++) {
                re[n] = pcm[start + n] * hann[n];
            }
            java.util.Arrays.fill(re, WINDOW_LENGTH, FFT_LENGTH, 0.0);
            java.util.Arrays.fill(im, 0.0);
            fft.transform(re, im);
            for (int bin = 0; bin < SPECTROGRAM_BINS; bin++) {
                magnitude[bin] = Math.hypot(re[bin], im[bin]);
            }
            int row = offset + frame * MEL_BANDS;
            for (int band = 0; band < MEL_BANDS; band++) {
                double mel = 0.0;
                for (int bin = firstBin[band]; bin <= lastBin[band]; bin++) {
                    mel += magnitude[bin] * melWeights[bin][band];
                }
                out[row + band] = (float) Math.log(mel + LOG_OFFSET);
            }
        }
    }

    static double[] periodicHann(int length) {
        double[] window = new double[length];
        for (int n = 0; n < length; n++) {
            window[n] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI / length * n);
        }
        return window;
    }

    /** Triangular weights [257][64], linear in mel between equally spaced mel edges; DC row zero. */
    static double[][] melMatrix() {
        double nyquist = AudioFormat.SAMPLE_RATE / 2.0;
        double[] binMel = new double[SPECTROGRAM_BINS];
        for (int bin = 0; bin < SPECTROGRAM_BINS; bin++) {
            // numpy linspace: start + i * step, with the last point exact.
            double hz = bin == SPECTROGRAM_BINS - 1 ? nyquist : bin * (nyquist / (SPECTROGRAM_BINS - 1));
            binMel[bin] = hertzToMel(hz);
        }
        double lowMel = hertzToMel(MEL_MIN_HZ);
        double highMel = hertzToMel(MEL_MAX_HZ);
        int edgeCount = MEL_BANDS + 2;
        double step = (highMel - lowMel) / (edgeCount - 1);
        double[] edges = new double[edgeCount];
        for (int i = 0; i < edgeCount; i++) {
            edges[i] = i == edgeCount - 1 ? highMel : lowMel + i * step;
        }
        double[][] weights = new double[SPECTROGRAM_BINS][MEL_BANDS];
        for (int bin = 1; bin < SPECTROGRAM_BINS; bin++) {
            for (int band = 0; band < MEL_BANDS; band++) {
                double lower = edges[band];
                double center = edges[band + 1];
                double upper = edges[band + 2];
                double rising = (binMel[bin] - lower) / (center - lower);
                double falling = (upper - binMel[bin]) / (upper - center);
                weights[bin][band] = Math.max(0.0, Math.min(rising, falling));
            }
        }
        return weights;
    }

    /** In-place iterative radix-2 complex FFT of a fixed power-of-two length. */
    static final class Fft {
        private final int n;
        private final int[] bitReversed;
        private final double[] cos;
        private final double[] sin;

        Fft(int n) {
            if (Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("FFT length must be a power of two: " + n);
            }
            this.n = n;
            int bits = Integer.numberOfTrailingZeros(n);
            bitReversed = new int[n];
            for (int i = 0; i < n; i++) {
                bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
            }
            cos = new double[n / 2];
            sin = new double[n / 2];
            for (int k = 0; k < n / 2; k++) {
                cos[k] = Math.cos(2.0 * Math.PI * k / n);
                sin[k] = -Math.sin(2.0 * Math.PI * k / n);
            }
        }

        void transform(double[] re, double[] im) {
            for (int i = 0; i < n; i++) {
                int j = bitReversed[i];
                if (j > i) {
                    double t = re[i];
                    re[i] = re[j];
                    re[j] = t;
                    t = im[i];
                    im[i] = im[j];
                    im[j] = t;
                }
            }
            for (int size = 2; size <= n; size <<= 1) {
                int half = size >> 1;
                int stride = n / size;
                for (int start = 0; start < n; start += size) {
                    for (int k = 0; k < half; k++) {
                        double wr = cos[k * stride];
                        double wi = sin[k * stride];
                        int a = start + k;
                        int b = a + half;
                        double xr = re[b] * wr - im[b] * wi;
                        double xi = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - xr;
                        im[b] = im[a] - xi;
                        re[a] += xr;
                        im[a] += xi;
                    }
                }
            }
        }
    }
}
