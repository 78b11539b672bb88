package io.avisstream.avis.eval;

import java.util.Arrays;

import io.avisstream.avis.media.CocoRle;

/**
 * An immutable COCO run-length mask with the pixel semantics of the reference mask API (spec §1.5):
 * column-major runs starting with zeros, summing to {@code height * width}. The set pixels (as sorted half-open
 * intervals of linear indices), the area and the reference API's bounding box are computed once, because every
 * mask takes part in many IoUs.
 */
public final class Rle {
    /** The 720x1280 all-zero string that FSLA treats as "no object" (spec §3.3). */
    public static final String EMPTY_720P = "PPTl0";

    private final int height;
    private final int width;
    private final long[] counts;
    private final String literal;
    private final long[] intervals;
    private final long area;
    private final double[] box;

    private Rle(int height, int width, long[] counts, String literal) {
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("mask size must be >= 0, got " + height + "x" + width);
        }
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative run length " + c);
            }
            sum += c;
        }
        if (sum != (long) height * width) {
            throw new IllegalArgumentException("runs cover " + sum + " pixels but the mask is " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.counts = counts.clone();
        this.literal = literal;
        this.intervals = toIntervals(counts);
        long a = 0;
        for (int i = 1; i < intervals.length; i += 2) {
            a += intervals[i] - intervals[i - 1];
        }
        this.area = a;
        this.box = referenceBox(height, width, counts);
    }

    /** Decodes a compressed counts string (the string codec lives in {@link CocoRle}); keeps the literal. */
    public static Rle ofString(int height, int width, String counts) {
        return new Rle(height, width, CocoRle.decompress(counts), counts);
    }

    public static Rle ofCounts(int height, int width, long[] counts) {
        return new Rle(height, width, counts, null);
    }

    public static Rle empty(int height, int width) {
        return ofCounts(height, width, new long[] { (long) height * width });
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public long[] counts() {
        return counts.clone();
    }

    /** The counts string as the input wrote it, else the canonical compressed string. */
    public String encoded() {
        return literal != null ? literal : CocoRle.compress(counts);
    }

    public long area() {
        return area;
    }

    public boolean sameSize(Rle other) {
        return height == other.height && width == other.width;
    }

    /** Set pixels as {@code {s0, e0, s1, e1, ...}}, half-open, ascending (shared, do not modify). */
    long[] intervals() {
        return intervals;
    }

    /** {@code [x, y, w, h]} exactly as the reference API's toBbox computes it (shared, do not modify). */
    double[] box() {
        return box;
    }

    /** Builds a mask from sorted, non-overlapping set intervals (adjacent ones are joined). */
    static Rle fromIntervals(int height, int width, long[] iv, int n) {
        long[] runs = new long[n + 2];
        int m = 0;
        long at = 0;
        for (int i = 0; i < n; i += 2) {
            if (iv[i + 1] <= iv[i]) {
                continue;
            }
            if (m > 0 && iv[i] == at) {
                runs[m - 1] += iv[i + 1] - iv[i];
            } else {
                runs[m++] = iv[i] - at;
                runs[m++] = iv[i + 1] - iv[i];
            }
            at = iv[i + 1];
        }
        long total = (long) height * width;
        if (m == 0 || at < total) {
            runs[m++] = total - at;
        }
        return ofCounts(height, width, Arrays.copyOf(runs, m));
    }

    private static long[] toIntervals(long[] counts) {
        long[] out = new long[counts.length + 1];
        int n = 0;
        long at = 0;
        for (int i = 0; i < counts.length; i++) {
            if ((i & 1) == 1 && counts[i] > 0) {
                if (n > 0 && out[n - 1] == at) {
                    out[n - 1] = at + counts[i]; // a zero-length zero run between two one runs
                } else {
                    out[n++] = at;
                    out[n++] = at + counts[i];
                }
            }
            at += counts[i];
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The reference toBbox: only an even number of runs is read; a run of ones that wraps into a later column
     * widens the y-range to the full height. Unsigned 32-bit arithmetic as in C.
     */
    private static double[] referenceBox(int height, int width, long[] counts) {
        int m = counts.length / 2 * 2;
        if (m == 0 || height == 0) {
            return new double[] { 0, 0, 0, 0 };
        }
        long h = height;
        long xs = width;
        long ys = h;
        long xe = 0;
        long ye = 0;
        long cc = 0;
        long xp = 0;
        for (int j = 0; j < m; j++) {
            cc = (cc + counts[j]) & 0xffffffffL;
            long t = (cc - (j % 2)) & 0xffffffffL;
            long y = t % h;
            long x = (t - y) / h;
            if (j % 2 == 0) {
                xp = x;
            } else if (xp < x) {
                ys = 0;
                ye = h - 1;
            }
            xs = Math.min(xs, x);
            xe = Math.max(xe, x);
            ys = Math.min(ys, y);
            ye = Math.max(ye, y);
        }
        return new double[] { xs, ys, xe - xs + 1, ye - ys + 1 };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.intervals, intervals);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(intervals);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + " " + encoded() + "]";
    }
}
