package io.avisstream.avis.engine;

/** Per-frame mask features m_t: {@code channels x height x width} floats (padded size / 4), row-major. */
public record MaskFeatures(int channels, int height, int width, float[] data) {
    public MaskFeatures {
        if (data == null || data.length != channels * height * width) {
            throw new IllegalArgumentException("mask features " + channels + "x" + height + "x" + width
                    + " need " + (channels * height * width) + " floats");
        }
    }
}
