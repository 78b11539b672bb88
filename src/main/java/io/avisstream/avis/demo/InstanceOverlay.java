package io.avisstream.avis.demo;

import io.avisstream.avis.media.BinaryMask;

/**
 * One instance to draw on a frame: what a masks record says about it, with its mask already decoded.
 *
 * @param trackId stable track id (picks the colour)
 * @param className class label to print
 * @param score detection score in [0, 1]
 * @param sounding whether the object is making the sound (drawn highlighted)
 * @param x bbox left, pixels
 * @param y bbox top, pixels
 * @param width bbox width, pixels
 * @param height bbox height, pixels
 * @param mask binary mask at the frame's size, or {@code null} to draw the box only
 */
public record InstanceOverlay(long trackId, String className, float score, boolean sounding, int x, int y, int width,
        int height, BinaryMask mask) {
    public InstanceOverlay {
        if (className == null) {
            throw new IllegalArgumentException("className is required");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("bbox size must be >= 0: " + width + "x" + height);
        }
    }

    /** Nothing to draw: an empty box, or a mask without a single set pixel. */
    public boolean empty() {
        if (width == 0 || height == 0) {
            return true;
        }
        if (mask == null) {
            return false;
        }
        for (byte b : mask.data()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The label drawn next to the box: {@code #id class score}. */
    public String label() {
        return String.format(java.util.Locale.ROOT, "#%d %s %.2f", trackId, className, score);
    }
}
