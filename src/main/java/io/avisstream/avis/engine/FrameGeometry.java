package io.avisstream.avis.engine;

/** Sizes of one frame through pre-processing: original, resized (short side 360), padded (multiple of 32). */
public record FrameGeometry(int originalWidth, int originalHeight, int resizedWidth, int resizedHeight,
        int paddedWidth, int paddedHeight) {
}
