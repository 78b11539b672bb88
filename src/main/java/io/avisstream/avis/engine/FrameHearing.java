package io.avisstream.avis.engine;

import java.util.BitSet;

/**
 * What the frame decoder heard on one frame: its queries' class probabilities and binary masks (the frame graph's
 * {@code pred_logits} and {@code pred_masks}, which the official inference does not use). The frame decoder sees one
 * frame and that frame's audio second, and it is trained on that frame's sounding objects only, so it says who
 * sounds <em>now</em>; a detection's video-level score holds for its whole window and cannot (README, "Sounding
 * flag"). Transient, like the mask features it sits next to: never stored.
 *
 * <p>Masks live on the mask-feature grid (1/4 of the padded frame) cropped to the resized frame: {@code
 * ceil(resizedHeight / 4) x ceil(resizedWidth / 4)} cells. {@code engines/acvis/evaluation.py heard_scores} is the
 * same computation in PyTorch.
 *
 * @param probabilities {@code queries x classes} softmax probabilities over the classes and "no object" (the last,
 *        not kept)
 * @param masks per query, the grid cells whose mask logit is above 0 (row-major, {@code width} cells a row)
 */
public record FrameHearing(int queries, int classes, float[] probabilities, int height, int width, BitSet[] masks) {

    /** An engine without frame-level outputs: every {@link #heard} is NaN. */
    public static final FrameHearing NONE = new FrameHearing(0, 0, new float[0], 0, 0, new BitSet[0]);

    /** Lowest mask IoU at which a frame query speaks for a detection (compared exactly: 2 x inter >= union > 0). */
    public static final double MATCH_IOU = 0.5;

    /**
     * One frame's hearing from the frame graph's outputs.
     *
     * @param predLogits {@code queries x (classes + 1)} logits of this frame, "no object" last
     * @param predMasks {@code queries x gridHeight x gridWidth} mask logits of this frame (row-major)
     * @param geometry the frame's sizes; the grid is {@code padded / 4}
     */
    static FrameHearing of(float[] predLogits, int queries, float[] predMasks, int gridHeight, int gridWidth,
            FrameGeometry geometry) {
        int classes = predLogits.length / queries - 1;
        float[] probabilities = MaskDecoder.classProbabilities(predLogits, queries);
        int h = validCells(geometry.resizedHeight(), gridHeight);
        int w = validCells(geometry.resizedWidth(), gridWidth);
        BitSet[] masks = new BitSet[queries];
        int plane = gridHeight * gridWidth;
        for (int q = 0; q < queries; q++) {
            BitSet bits = new BitSet(h * w);
            for (int y = 0; y < h; y++) {
                int base = q * plane + y * gridWidth;
                for (int x = 0; x < w; x++) {
                    if (predMasks[base + x] > 0) {
                        bits.set(y * w + x);
                    }
                }
            }
            masks[q] = bits;
        }
        return new FrameHearing(queries, classes, probabilities, h, w, masks);
    }

    /**
     * How strongly this frame's decoder hears a detection of class {@code classId} whose mask here is {@code
     * maskEmbedding . m} (m = this frame's mask features): the largest probability of that class among the frame
     * queries whose mask overlaps the detection's with IoU >= {@link #MATCH_IOU}; 0 when none does; NaN for {@link
     * #NONE}.
     */
    public float heard(int classId, float[] maskEmbedding, MaskFeatures m) {
        if (queries == 0) {
            return Float.NaN;
        }
        if (classId < 0 || classId >= classes) {
            throw new IllegalArgumentException("class " + classId + " outside 0.." + (classes - 1));
        }
        BitSet detection = detectionMask(maskEmbedding, m);
        int area = detection.cardinality();
        float best = 0f;
        for (int q = 0; q < queries; q++) {
            BitSet inter = (BitSet) masks[q].clone();
            inter.and(detection);
            long i = inter.cardinality();
            long union = area + masks[q].cardinality() - i;
            if (union > 0 && 2 * i >= union) {
                best = Math.max(best, probabilities[q * classes + classId]);
            }
        }
        return best;
    }

    /**
     * Cells where {@code e . m > 0}, over the valid grid. Channel-outer so the inner loop runs over contiguous cells
     * (the JIT vectorises it); each cell still sums its channels in order 0..C-1.
     */
    private BitSet detectionMask(float[] e, MaskFeatures m) {
        if (e.length != m.channels()) {
            throw new IllegalArgumentException("mask embedding has " + e.length + " floats, the mask features "
                    + m.channels() + " channels");
        }
        if (m.height() < height || m.width() < width) {
            throw new IllegalArgumentException("mask features " + m.height() + "x" + m.width()
                    + " smaller than the hearing grid " + height + "x" + width);
        }
        float[] data = m.data();
        int plane = m.height() * m.width();
        int cells = height * m.width(); // whole rows up to the last valid one; columns beyond width are skipped below
        float[] sum = new float[cells];
        for (int c = 0; c < e.length; c++) {
            float weight = e[c];
            int base = c * plane;
            for (int i = 0; i < cells; i++) {
                sum[i] += weight * data[base + i];
            }
        }
        BitSet bits = new BitSet(height * width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (sum[y * m.width() + x] > 0) {
                    bits.set(y * width + x);
                }
            }
        }
        return bits;
    }

    private static int validCells(int resized, int grid) {
        return Math.min(grid, (resized + 3) / 4);
    }
}
