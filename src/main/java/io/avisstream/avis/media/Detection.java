package io.avisstream.avis.media;

/**
 * One candidate sounding object in the newest frame of a window.
 *
 * @param queryIndex the video query it came from (0..Q-1)
 * @param classId AVISeg class id (0..25, order of {@code aviseg-data-and-metrics.md})
 * @param score class probability x mask score, as the official inference computes it
 * @param similarity the query's similarity embedding, used to link detections to tracks across windows
 * @param mask binary mask at the frame's original size
 * @param maskEmbedding the query's mask embedding e_k (empty when the engine gives none): with any frame's mask
 *        features m_t it gives that frame's mask e_k . m_t, which is how frames between inferences get fresh masks
 * @param heard how strongly the frame decoder hears it in this frame alone (0..1; NaN when the engine gives none),
 *        what the tracker's rule {@code heard} flags sounding by (README, "Sounding flag")
 */
public record Detection(int queryIndex, int classId, float score, float[] similarity, BinaryMask mask,
        float[] maskEmbedding, float heard) {
    private static final float[] NONE = new float[0];

    public Detection {
        maskEmbedding = maskEmbedding == null ? NONE : maskEmbedding;
    }

    /** A detection without frame-level hearing. */
    public Detection(int queryIndex, int classId, float score, float[] similarity, BinaryMask mask,
            float[] maskEmbedding) {
        this(queryIndex, classId, score, similarity, mask, maskEmbedding, Float.NaN);
    }

    /** A detection without a mask embedding (engines that cannot recompute masks). */
    public Detection(int queryIndex, int classId, float score, float[] similarity, BinaryMask mask) {
        this(queryIndex, classId, score, similarity, mask, NONE);
    }
}
