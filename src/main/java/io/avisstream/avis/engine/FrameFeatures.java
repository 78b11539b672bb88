package io.avisstream.avis.engine;

/**
 * Output of the per-frame stage.
 *
 * @param frameQueries f_t, {@code numQueries * hiddenDim} floats (kept by the tracker store for the next W-1 frames)
 * @param audioFeatures a_t, {@code audioDim} floats (VGGish, integer-valued 0..255)
 * @param countLogits SAOC count logits (Kmax values: logit of P(N > k | N > k-1), k = 1..Kmax)
 * @param maskFeatures m_t, only needed for the newest frame, never stored
 * @param geometry sizes through pre-processing
 * @param hearing what the frame decoder heard on this frame ({@link FrameHearing#NONE}: engines without it), never
 *        stored
 */
public record FrameFeatures(String streamId, long seq, float[] frameQueries, float[] audioFeatures,
        float[] countLogits, MaskFeatures maskFeatures, FrameGeometry geometry, FrameHearing hearing) {

    public FrameFeatures {
        hearing = hearing == null ? FrameHearing.NONE : hearing;
    }

    /** Features without frame-level hearing (engines that have none). */
    public FrameFeatures(String streamId, long seq, float[] frameQueries, float[] audioFeatures, float[] countLogits,
            MaskFeatures maskFeatures, FrameGeometry geometry) {
        this(streamId, seq, frameQueries, audioFeatures, countLogits, maskFeatures, geometry, FrameHearing.NONE);
    }
}
