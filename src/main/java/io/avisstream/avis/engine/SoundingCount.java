package io.avisstream.avis.engine;

/**
 * Decodes the SAOC count head (spec §3.6): logit {@code z_i} gives {@code p_i = P(N > i | N > i-1)}; the cumulative
 * products {@code q_i = p_0 ... p_i = P(N > i)} give {@code P(0) = 1 - q_0}, {@code P(c) = q_{c-1} - q_c} and
 * {@code P(Kmax) = q_{Kmax-1}}. Diagnostic only: it does not influence masks or scores.
 */
public final class SoundingCount {

    private SoundingCount() {
    }

    /** P(N = k) for k = 0..Kmax from Kmax count logits; sums to 1. */
    public static float[] probabilities(float[] countLogits) {
        int kmax = countLogits.length;
        float[] out = new float[kmax + 1];
        if (kmax == 0) {
            out[0] = 1f;
            return out;
        }
        double previous = 1.0;
        for (int i = 0; i < kmax; i++) {
            double q = previous * sigmoid(countLogits[i]);
            out[i] = (float) (previous - q);
            previous = q;
        }
        out[kmax] = (float) previous;
        return out;
    }

    /** The predicted count: argmax of {@link #probabilities}. */
    public static int mostLikely(float[] countLogits) {
        float[] p = probabilities(countLogits);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
