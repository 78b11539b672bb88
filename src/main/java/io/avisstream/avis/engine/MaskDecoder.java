package io.avisstream.avis.engine;

import java.util.ArrayList;
import java.util.List;

import io.avisstream.avis.media.BinaryMask;

/**
 * Candidate selection and mask post-processing of spec §5, for the newest frame of a window (live mode).
 *
 * <p>Official steps: softmax over the 27 classes, drop "no object", top-k over the flattened (query, class)
 * pairs, mask logits upsampled to the padded size and cropped to the resized size, mask score = mean sigmoid
 * over pixels whose sigmoid exceeds 0.5, final score = class probability x mask score, keep score > threshold,
 * and the cropped logits resized bilinearly to the original size and thresholded at 0.
 *
 * <p>One exact shortcut: because a mask score is below 1, a pair whose class probability is not above the
 * threshold can never pass, so such pairs are dropped before any mask is computed. The kept set is unchanged.
 */
public final class MaskDecoder {

    /** A (query, class) pair that survived top-k and may pass the threshold. */
    public record Candidate(int query, int classId, float probability) {
    }

    private final int topK;
    private final float threshold;

    public MaskDecoder(int topK, float threshold) {
        this.topK = topK;
        this.threshold = threshold;
    }

    public int topK() {
        return topK;
    }

    public float threshold() {
        return threshold;
    }

    /**
     * @param classLogits {@code numQueries x (numClasses + 1)} row-major, "no object" last
     * @return candidates in descending probability (ties: lower flattened index first)
     */
    public List<Candidate> candidates(float[] classLogits, int numQueries) {
        return select(classLogits, numQueries, threshold);
    }

    /**
     * Softmax over each query's classes and "no object" (spec §5 step 1), "no object" dropped.
     *
     * @param classLogits {@code numQueries x (numClasses + 1)} row-major, "no object" last
     * @return {@code numQueries x numClasses} probabilities, row-major
     */
    static float[] classProbabilities(float[] classLogits, int numQueries) {
        int width = classLogits.length / numQueries;
        int classes = width - 1;
        float[] probs = new float[numQueries * classes];
        for (int q = 0; q < numQueries; q++) {
            int row = q * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                max = Math.max(max, classLogits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                sum += Math.exp(classLogits[row + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                probs[q * classes + c] = (float) (Math.exp(classLogits[row + c] - max) / sum);
            }
        }
        return probs;
    }

    private List<Candidate> select(float[] classLogits, int numQueries, float floor) {
        int classes = classLogits.length / numQueries - 1;
        float[] probs = classProbabilities(classLogits, numQueries);
        // Only pairs above the threshold can pass; among those, keep the ones inside the official top-k.
        List<Integer> above = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > floor) {
                above.add(i);
            }
        }
        above.sort((a, b) -> probs[a] != probs[b] ? Float.compare(probs[b], probs[a]) : Integer.compare(a, b));
        // Pairs below the floor rank after every pair above it, so a position in this list is the official rank.
        List<Candidate> out = new ArrayList<>();
        for (int index : above.subList(0, Math.min(topK, above.size()))) {
            out.add(new Candidate(index / classes, index % classes, probs[index]));
        }
        return out;
    }

    /**
     * Mask score of one candidate: mean sigmoid over the cropped pixels whose sigmoid exceeds 0.5.
     *
     * @param logits padded-size logits ({@code paddedHeight x paddedWidth}) starting at {@code offset}
     */
    public float maskScore(float[] logits, int offset, FrameGeometry g) {
        double[] numDen = new double[2];
        accumulate(logits, offset, g, numDen);
        return maskScore(numDen);
    }

    /** Adds one frame's {@code sum(sigmoid | sigmoid > 0.5)} and pixel count to {@code numDen} (offline mode sums frames). */
    public void accumulate(float[] logits, int offset, FrameGeometry g, double[] numDen) {
        double num = 0;
        long den = 0;
        for (int y = 0; y < g.resizedHeight(); y++) {
            int row = offset + y * g.paddedWidth();
            for (int x = 0; x < g.resizedWidth(); x++) {
                float s = sigmoid(logits[row + x]);
                if (s > 0.5f) {
                    num += s;
                    den++;
                }
            }
        }
        numDen[0] += num;
        numDen[1] += den;
    }

    /** {@code num / (den + 1e-6)}. */
    public static float maskScore(double[] numDen) {
        return (float) (numDen[0] / (numDen[1] + 1e-6));
    }

    /** The official top-k pairs in descending probability, before any threshold (for parity with the reference). */
    public List<Candidate> topK(float[] classLogits, int numQueries) {
        return select(classLogits, numQueries, -1f);
    }

    /**
     * Bilinear resize (align_corners=False, no antialias, as torch's {@code F.interpolate}) of the cropped logits
     * to the original size, thresholded at logit > 0.
     */
    public BinaryMask binaryMask(float[] logits, int offset, FrameGeometry g) {
        int inH = g.resizedHeight();
        int inW = g.resizedWidth();
        int outH = g.originalHeight();
        int outW = g.originalWidth();
        int stride = g.paddedWidth();
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] wx = new float[outW];
        sourceIndices(inW, outW, x0, x1, wx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] wy = new float[outH];
        sourceIndices(inH, outH, y0, y1, wy);
        byte[] data = new byte[outW * outH];
        for (int y = 0; y < outH; y++) {
            int r0 = offset + y0[y] * stride;
            int r1 = offset + y1[y] * stride;
            float b = wy[y];
            float a = 1f - b;
            for (int x = 0; x < outW; x++) {
                float d = wx[x];
                float c = 1f - d;
                float v = a * (c * logits[r0 + x0[x]] + d * logits[r0 + x1[x]])
                        + b * (c * logits[r1 + x0[x]] + d * logits[r1 + x1[x]]);
                data[y * outW + x] = (byte) (v > 0f ? 1 : 0);
            }
        }
        return new BinaryMask(outW, outH, data);
    }

    private static void sourceIndices(int in, int out, int[] i0, int[] i1, float[] w1) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0f) {
                src = 0f;
            }
            int lo = (int) src;
            int hi = lo < in - 1 ? lo + 1 : lo;
            i0[d] = lo;
            i1[d] = hi;
            w1[d] = src - lo;
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
