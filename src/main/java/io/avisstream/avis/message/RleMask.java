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

    /**
     * The all-zero mask of {@code height x width}: one run of {@code height * width} zeros, in COCO's compressed
     * string form (never allocates the mask).
     */
    public static RleMask empty(int height, int width) {
        return of(height, width, compressSingleRun((long) height * width));
    }

    /** pycocotools' rleToString for the counts [n]: 5 bits per char, continuation bit 0x20, offset 48. */
    private static String compressSingleRun(long n) {
        StringBuilder out = new StringBuilder();
        long x = n;
        boolean more = true;
        while (more) {
            long c = x & 0x1f;
            x >>= 5;
            more = (c & 0x10) != 0 ? x != -1 : x != 0;
            if (more) {
                c |= 0x20;
            }
            out.append((char) (c + 48));
        }
        return out.toString();
    }

    public int height() {
        return size.get(0);
    }

    public int width() {
        return size.get(1);
    }
}
