package io.avisstream.avis.media;

import java.util.Arrays;

/**
 * COCO run-length encoding, bit-compatible with pycocotools ({@code aviseg-data-and-metrics.md} §1.5).
 *
 * <p>Pixels are read column-major (pixel (x, y) of an h x w mask has index {@code x * h + y}); counts alternate
 * runs of zeros and ones and always start with a (possibly empty) run of zeros. The compressed string writes
 * each count (minus the count two places earlier, from the fourth count on) as 5-bit groups, least significant
 * first, with a continuation bit, offset by '0'.
 */
public final class CocoRle {

    private CocoRle() {
    }

    /** Run lengths of a row-major binary mask, in COCO's column-major order. */
    public static long[] counts(BinaryMask mask) {
        int h = mask.height();
        int w = mask.width();
        byte[] data = mask.data();
        long[] runs = new long[Math.max(2, h * w + 1)];
        int n = 0;
        long run = 0;
        byte previous = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                byte v = data[y * w + x] != 0 ? (byte) 1 : (byte) 0;
                if (v != previous) {
                    runs[n++] = run;
                    run = 0;
                    previous = v;
                }
                run++;
            }
        }
        runs[n++] = run;
        return Arrays.copyOf(runs, n);
    }

    /** The compressed counts string of a row-major binary mask. */
    public static String encode(BinaryMask mask) {
        return compress(counts(mask));
    }

    /** Compresses run lengths into pycocotools' counts string. */
    public static String compress(long[] counts) {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long v = counts[i];
            if (i > 2) {
                v -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                long b = v & 0x1f;
                v >>= 5;
                more = (b & 0x10) != 0 ? v != -1 : v != 0;
                if (more) {
                    b |= 0x20;
                }
                s.append((char) (b + 48));
            }
        }
        return s.toString();
    }

    /** Inverse of {@link #compress}: run lengths (unsigned 32-bit values, as pycocotools stores them). */
    public static long[] decompress(String counts) {
        long[] out = new long[counts.length()];
        int n = 0;
        int p = 0;
        while (p < counts.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            long c = 0;
            while (more) {
                if (p >= counts.length()) {
                    throw new IllegalArgumentException("truncated RLE counts string");
                }
                c = counts.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("invalid RLE character '" + counts.charAt(p) + "'");
                }
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (n > 2) {
                x += out[n - 2];
            }
            out[n++] = x & 0xffffffffL;
        }
        return Arrays.copyOf(out, n);
    }

    /** Rebuilds a row-major mask of the given size from a counts string. */
    public static BinaryMask decode(String counts, int height, int width) {
        long[] runs = decompress(counts);
        byte[] data = new byte[height * width];
        long index = 0;
        byte value = 0;
        for (long run : runs) {
            for (long r = 0; r < run; r++, index++) {
                if (index >= (long) height * width) {
                    throw new IllegalArgumentException("RLE covers more than " + height + "x" + width + " pixels");
                }
                if (value != 0) {
                    int x = (int) (index / height);
                    int y = (int) (index % height);
                    data[y * width + x] = 1;
                }
            }
            value ^= 1;
        }
        if (index != (long) height * width) {
            throw new IllegalArgumentException("RLE covers " + index + " pixels, mask has " + ((long) height * width));
        }
        return new BinaryMask(width, height, data);
    }

    /** Pixel count of the mask (sum of the odd runs). */
    public static long area(long[] counts) {
        long a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /** {@code [x, y, w, h]} of the mask's set pixels, {@code [0, 0, 0, 0]} when empty. */
    public static int[] bbox(BinaryMask mask) {
        int w = mask.width();
        int h = mask.height();
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        byte[] data = mask.data();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (data[row + x] != 0) {
                    if (x < minX) {
                        minX = x;
                    }
                    if (x > maxX) {
                        maxX = x;
                    }
                    if (y < minY) {
                        minY = y;
                    }
                    maxY = y;
                }
            }
        }
        return maxX < 0 ? new int[] { 0, 0, 0, 0 } : new int[] { minX, minY, maxX - minX + 1, maxY - minY + 1 };
    }
}
