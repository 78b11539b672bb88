package io.avisstream.avis.eval;

import java.util.List;

/**
 * The mask API operations the metrics need, with the reference semantics of spec §1.5: union, intersection
 * area, and the IoU with its bounding-box prefilter and its -1 for masks of different sizes.
 */
public final class MaskOps {

    private MaskOps() {
    }

    /** Pixel-wise OR of masks of one size; masks of different sizes give an empty 0x0 mask (as the reference). */
    public static Rle union(List<Rle> masks) {
        if (masks.size() == 1) {
            return masks.get(0);
        }
        Rle first = masks.get(0);
        int total = 0;
        for (Rle m : masks) {
            if (!m.sameSize(first)) {
                return Rle.empty(0, 0);
            }
            total += m.intervals().length;
        }
        long[] all = new long[total];
        int n = 0;
        for (Rle m : masks) {
            long[] iv = m.intervals();
            System.arraycopy(iv, 0, all, n, iv.length);
            n += iv.length;
        }
        // sort intervals by start, then sweep-merge overlapping ones
        int pairs = n / 2;
        long[][] byStart = new long[pairs][];
        for (int i = 0; i < pairs; i++) {
            byStart[i] = new long[] { all[2 * i], all[2 * i + 1] };
        }
        java.util.Arrays.sort(byStart, (a, b) -> Long.compare(a[0], b[0]));
        long[] merged = new long[n];
        int m = 0;
        for (long[] iv : byStart) {
            if (m > 0 && iv[0] <= merged[m - 1]) {
                merged[m - 1] = Math.max(merged[m - 1], iv[1]);
            } else {
                merged[m++] = iv[0];
                merged[m++] = iv[1];
            }
        }
        return Rle.fromIntervals(first.height(), first.width(), merged, m);
    }

    /** Number of pixels set in both masks (0 for masks of different sizes, like the reference's merge). */
    public static long intersection(Rle a, Rle b) {
        if (!a.sameSize(b)) {
            return 0;
        }
        long[] x = a.intervals();
        long[] y = b.intervals();
        long inter = 0;
        int i = 0;
        int j = 0;
        while (i < x.length && j < y.length) {
            long lo = Math.max(x[i], y[j]);
            long hi = Math.min(x[i + 1], y[j + 1]);
            if (hi > lo) {
                inter += hi - lo;
            }
            if (x[i + 1] < y[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return inter;
    }

    /** Whether the reference IoU would look at the pixels: the toBbox boxes overlap with positive extent. */
    static boolean boxesOverlap(Rle a, Rle b) {
        double[] d = a.box();
        double[] g = b.box();
        double w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
        if (w <= 0) {
            return false;
        }
        double h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
        return h > 0;
    }

    /**
     * The reference IoU (non-crowd): 0 when the boxes do not overlap or nothing intersects, -1 when the sizes
     * differ, else intersection / union over integer pixel counts.
     */
    public static double iou(Rle a, Rle b) {
        if (!boxesOverlap(a, b)) {
            return 0;
        }
        if (!a.sameSize(b)) {
            return -1;
        }
        return iou(a, b, intersection(a, b));
    }

    /** IoU of two same-size masks whose intersection is known (0 when nothing intersects). */
    static double iou(Rle a, Rle b, long inter) {
        return inter == 0 ? 0 : (double) inter / (double) (a.area() + b.area() - inter);
    }
}
