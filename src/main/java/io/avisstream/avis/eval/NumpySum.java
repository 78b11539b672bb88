package io.avisstream.avis.eval;

/**
 * numpy's float64 summation orders (spec §4.1), which decide the last printed digit: pairwise summation for a
 * contiguous 1-D sum or mean, plain left-to-right for everything else.
 */
public final class NumpySum {
    private static final int BLOCK = 128;

    private NumpySum() {
    }

    /** {@code np.sum} of a contiguous array. */
    public static double pairwise(double[] a) {
        return 0.0 + pairwise(a, 0, a.length);
    }

    /** {@code np.mean} of a contiguous array (NaN when empty, as numpy). */
    public static double mean(double[] a) {
        return pairwise(a) / a.length;
    }

    static double pairwise(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
    }

    /** Python's {@code sum}: left to right from 0. */
    public static double sequential(double[] a) {
        double res = 0;
        for (double v : a) {
            res += v;
        }
        return res;
    }
}
