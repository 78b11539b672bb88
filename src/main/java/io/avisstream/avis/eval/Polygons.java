package io.avisstream.avis.eval;

import java.util.Arrays;

/**
 * Polygon and box rasterisation, bit-exact with the reference mask API (spec §1.5): the polygon is scaled by
 * 5, walked edge by edge on the integer grid, and every x-crossing of the up-sampled boundary that lands on a
 * pixel column becomes a toggle position of the run-length encoding.
 */
public final class Polygons {
    private static final double SCALE = 5;

    private Polygons() {
    }

    /** Rasterises a flat {@code [x1, y1, x2, y2, ...]} polygon (at least one vertex) into an h x w mask. */
    public static Rle rasterize(double[] xy, int height, int width) {
        int k = xy.length / 2;
        if (k < 1) {
            throw new IllegalArgumentException("a polygon needs at least one vertex");
        }
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (SCALE * xy[2 * j] + .5);
            y[j] = (int) (SCALE * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        int points = 0;
        for (int j = 0; j < k; j++) {
            points += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
        }
        int[] u = new int[points];
        int[] v = new int[points];
        int m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            if (dx >= dy) {
                boolean flip = xs > xe;
                if (flip) {
                    int t = xs; xs = xe; xe = t;
                    t = ys; ys = ye; ye = t;
                }
                // dx = 0 only for a zero-length edge, whose y is never used (spec §1.5)
                double s = dx == 0 ? 0 : (double) (ye - ys) / dx;
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                boolean flip = ys > ye;
                if (flip) {
                    int t = xs; xs = xe; xe = t;
                    t = ys; ys = ye; ye = t;
                }
                double s = (double) (xe - xs) / dy;
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        // keep the boundary points where x steps onto a pixel column, as toggle positions
        long[] a = new long[m + 1];
        int n = 0;
        for (int j = 1; j < m; j++) {
            if (u[j] == u[j - 1]) {
                continue;
            }
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + .5) / SCALE - .5;
            if (Math.floor(xd) != xd || xd < 0 || xd > width - 1) {
                continue;
            }
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = (yd + .5) / SCALE - .5;
            if (yd < 0) {
                yd = 0;
            } else if (yd > height) {
                yd = height;
            }
            yd = Math.ceil(yd);
            a[n++] = ((long) (int) xd * height + (int) yd) & 0xffffffffL;
        }
        a[n++] = ((long) height * width) & 0xffffffffL;
        Arrays.sort(a, 0, n);
        long previous = 0;
        for (int j = 0; j < n; j++) {
            long t = a[j];
            a[j] -= previous;
            previous = t;
        }
        // runs; a zero difference (two toggles at one place) cancels
        long[] runs = new long[n];
        int r = 0;
        int j = 0;
        runs[r++] = a[j++];
        while (j < n) {
            if (a[j] > 0) {
                runs[r++] = a[j++];
            } else {
                j++;
                if (j < n) {
                    runs[r - 1] += a[j++];
                }
            }
        }
        return Rle.ofCounts(height, width, Arrays.copyOf(runs, r));
    }

    /** A box {@code [x, y, w, h]} as the polygon (x,y),(x,y+h),(x+w,y+h),(x+w,y). */
    public static Rle box(double x, double y, double w, double h, int height, int width) {
        double xe = x + w;
        double ye = y + h;
        return rasterize(new double[] { x, y, x, ye, xe, ye, xe, y }, height, width);
    }
}
