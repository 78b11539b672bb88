package io.avisstream.avis.eval;

import java.util.Arrays;

/**
 * scipy's {@code linear_sum_assignment} (shortest augmenting path, Crouse 2016), replicated step for step
 * (spec §4.2) because the metrics depend on which optimum it returns among ties. The tracker's
 * {@code HungarianSolver} is a different algorithm and breaks ties differently, so it cannot be reused here.
 */
public final class LinearSumAssignment {

    private LinearSumAssignment() {
    }

    /** Matched pairs {@code rows[k], cols[k]}, rows ascending. */
    public record Pairs(int[] rows, int[] cols) {
        public int size() {
            return rows.length;
        }
    }

    /** Minimises the total cost over a matching of size min(rows, cols). */
    public static Pairs minimize(double[][] cost) {
        int nr = cost.length;
        int nc = nr == 0 ? 0 : cost[0].length;
        if (nr == 0 || nc == 0) {
            return new Pairs(new int[0], new int[0]);
        }
        boolean transpose = nc < nr;
        double[][] c = cost;
        if (transpose) {
            c = new double[nc][nr];
            for (int i = 0; i < nr; i++) {
                for (int j = 0; j < nc; j++) {
                    c[j][i] = cost[i][j];
                }
            }
            int t = nr;
            nr = nc;
            nc = t;
        }
        for (double[] row : c) {
            for (double v : row) {
                if (Double.isNaN(v) || v == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("cost matrix contains NaN or -inf");
                }
            }
        }
        int[] col4row = solve(c, nr, nc);
        if (!transpose) {
            int[] rows = new int[nr];
            for (int i = 0; i < nr; i++) {
                rows[i] = i;
            }
            return new Pairs(rows, col4row);
        }
        // in transposed terms the pairs are (col4row[c], c); order them by col4row (the original row)
        Integer[] order = new Integer[nr];
        for (int i = 0; i < nr; i++) {
            order[i] = i;
        }
        int[] key = col4row;
        Arrays.sort(order, (x, y) -> Integer.compare(key[x], key[y]));
        int[] rows = new int[nr];
        int[] cols = new int[nr];
        for (int k = 0; k < nr; k++) {
            rows[k] = col4row[order[k]];
            cols[k] = order[k];
        }
        return new Pairs(rows, cols);
    }

    private static int[] solve(double[][] cost, int nr, int nc) {
        double[] u = new double[nr];
        double[] v = new double[nc];
        double[] shortest = new double[nc];
        int[] path = new int[nc];
        int[] col4row = new int[nr];
        int[] row4col = new int[nc];
        boolean[] sr = new boolean[nr];
        boolean[] sc = new boolean[nc];
        int[] remaining = new int[nc];
        Arrays.fill(path, -1);
        Arrays.fill(col4row, -1);
        Arrays.fill(row4col, -1);
        for (int cur = 0; cur < nr; cur++) {
            double minVal = 0;
            int numRemaining = nc;
            for (int it = 0; it < nc; it++) {
                remaining[it] = nc - it - 1;
            }
            Arrays.fill(sr, false);
            Arrays.fill(sc, false);
            Arrays.fill(shortest, Double.POSITIVE_INFINITY);
            int sink = -1;
            int i = cur;
            while (sink == -1) {
                int index = -1;
                double lowest = Double.POSITIVE_INFINITY;
                sr[i] = true;
                for (int it = 0; it < numRemaining; it++) {
                    int j = remaining[it];
                    double r = minVal + cost[i][j] - u[i] - v[j];
                    if (r < shortest[j]) {
                        path[j] = i;
                        shortest[j] = r;
                    }
                    if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1)) {
                        lowest = shortest[j];
                        index = it;
                    }
                }
                minVal = lowest;
                if (minVal == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("cost matrix is infeasible");
                }
                int j = remaining[index];
                if (row4col[j] == -1) {
                    sink = j;
                } else {
                    i = row4col[j];
                }
                sc[j] = true;
                remaining[index] = remaining[--numRemaining];
            }
            u[cur] += minVal;
            for (int r = 0; r < nr; r++) {
                if (sr[r] && r != cur) {
                    u[r] += minVal - shortest[col4row[r]];
                }
            }
            for (int j = 0; j < nc; j++) {
                if (sc[j]) {
                    v[j] -= minVal - shortest[j];
                }
            }
            int j = sink;
            while (true) {
                int r = path[j];
                row4col[j] = r;
                int t = col4row[r];
                col4row[r] = j;
                j = t;
                if (r == cur) {
                    break;
                }
            }
        }
        return col4row;
    }
}
