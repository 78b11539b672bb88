package io.avisstream.avis.media;

/** A binary mask at the frame's original size: row-major, one byte per pixel, 0 or 1. */
public record BinaryMask(int width, int height, byte[] data) {
    public BinaryMask {
        if (data == null || data.length != width * height) {
            throw new IllegalArgumentException("mask " + width + "x" + height + " needs " + (width * height) + " bytes");
        }
    }
}
