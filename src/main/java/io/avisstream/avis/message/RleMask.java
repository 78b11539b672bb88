package io.avisstream.avis.message;

import java.util.List;

/**
 * A COCO compressed RLE mask, as pycocotools writes it: {@code size = [height, width]}, {@code counts} the
 * compressed counts string (column-major runs; see {@code CocoRle} in the media package).
 */
public record RleMask(List<Integer> size, String counts) {
    public RleMask {
        if (size == null || size.size() != 2 || size.get(0) <= 0 || size.get(1) <= 0) {
            throw new IllegalArgumentException("mask size must be [height, width] > 0, got " + size);
        }
        if (counts == null) {
            throw new IllegalArgumentException("counts is required");
        }
        size = List.copyOf(size);
    }

    public static RleMask of(int height, int width, String counts) {
        return new RleMask(List.of(height, width), counts);
    }

    public int height() {
        return size.get(0);
    }

    public int width() {
        return size.get(1);
    }
}
