package io.avisstream.avis.media;

/** A decoded frame: packed RGB24, row-major, {@code width * height * 3} bytes, at its original size. */
public record VideoFrame(int width, int height, byte[] rgb) {
    public VideoFrame {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        if (rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb24 frame " + width + "x" + height + " needs " + (width * height * 3)
                    + " bytes, got " + (rgb == null ? "null" : rgb.length));
        }
    }
}
