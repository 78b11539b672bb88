package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * A sequence seen through one class (HOTA) or all classes (FSLA): per frame the present dets' relabelled ids
 * and their IoU sub-matrix (spec §2.3). Ids that occur are relabelled to 0..n-1 in ascending id order: GT by
 * annotation id, predictions by global id, which is file order.
 *
 * @param gtIds per frame, the dets' GT ids in GT-file order
 * @param predIds per frame, the dets' prediction ids in file order
 * @param similarity per frame, {@code [gt][pred]}
 */
record IdView(int numGtIds, int numPredIds, int[][] gtIds, int[][] predIds, double[][][] similarity) {

    static IdView of(Sequence s, IntPredicate gtKeep, IntPredicate predKeep) {
        boolean[] gtOccurs = new boolean[s.gtTracks().size()];
        boolean[] predOccurs = new boolean[s.predictions().size()];
        for (Sequence.Frame frame : s.frames()) {
            Arrays.stream(frame.gt()).forEach(g -> gtOccurs[g] = true);
            Arrays.stream(frame.pred()).forEach(p -> predOccurs[p] = true);
        }
        int[] gtRank = rank(gtOccurs.length, g -> gtKeep.test(g) && gtOccurs[g],
                Comparator.comparingLong(g -> s.gtTracks().get(g).id()));
        int[] predRank = rank(predOccurs.length, p -> predKeep.test(p) && predOccurs[p], Comparator.comparingInt(p -> p));
        int t = s.length();
        int[][] gtIds = new int[t][];
        int[][] predIds = new int[t][];
        double[][][] sim = new double[t][][];
        for (int f = 0; f < t; f++) {
            Sequence.Frame frame = s.frames()[f];
            int[] rows = IntStream.range(0, frame.gt().length).filter(i -> gtKeep.test(frame.gt()[i])).toArray();
            int[] cols = IntStream.range(0, frame.pred().length).filter(j -> predKeep.test(frame.pred()[j])).toArray();
            gtIds[f] = Arrays.stream(rows).map(i -> gtRank[frame.gt()[i]]).toArray();
            predIds[f] = Arrays.stream(cols).map(j -> predRank[frame.pred()[j]]).toArray();
            sim[f] = new double[rows.length][cols.length];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    sim[f][i][j] = frame.iou()[rows[i]][cols[j]];
                }
            }
        }
        int numGt = (int) Arrays.stream(gtRank).filter(r -> r >= 0).count();
        int numPred = (int) Arrays.stream(predRank).filter(r -> r >= 0).count();
        return new IdView(numGt, numPred, gtIds, predIds, sim);
    }

    int numGtDets() {
        return Arrays.stream(gtIds).mapToInt(a -> a.length).sum();
    }

    int numPredDets() {
        return Arrays.stream(predIds).mapToInt(a -> a.length).sum();
    }

    /** rank[i] among the kept indices in the given order, -1 for the others. */
    private static int[] rank(int n, IntPredicate keep, Comparator<Integer> order) {
        int[] rank = new int[n];
        Arrays.fill(rank, -1);
        List<Integer> kept = new ArrayList<>(IntStream.range(0, n).filter(keep).boxed().toList());
        kept.sort(order);
        for (int r = 0; r < kept.size(); r++) {
            rank[kept.get(r)] = r;
        }
        return rank;
    }

    /**
     * HOTA's global alignment (step 1): per frame the similarity normalised by its row and column sums is
     * accumulated per id pair, then {@code A = PM / (GTcnt + PRcnt - PM)}.
     */
    Alignment alignment() {
        double[][] pm = new double[numGtIds][numPredIds];
        double[] gtCount = new double[numGtIds];
        double[] predCount = new double[numPredIds];
        for (int f = 0; f < gtIds.length; f++) {
            double[][] s = similarity[f];
            int rows = gtIds[f].length;
            int cols = predIds[f].length;
            // the IoU matrix is column-major in the official code: column sums are pairwise, row sums sequential
            double[] colSum = new double[cols];
            double[] column = new double[rows];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < rows; i++) {
                    column[i] = s[i][j];
                }
                colSum[j] = NumpySum.pairwise(column);
            }
            double[] rowSum = new double[rows];
            for (int i = 0; i < rows; i++) {
                rowSum[i] = NumpySum.sequential(s[i]);
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double denominator = colSum[j] + rowSum[i] - s[i][j];
                    double normalised = denominator > 0 + TrackMap.EPS ? s[i][j] / denominator : 0;
                    pm[gtIds[f][i]][predIds[f][j]] += normalised;
                }
            }
            for (int id : gtIds[f]) {
                gtCount[id] += 1;
            }
            for (int id : predIds[f]) {
                predCount[id] += 1;
            }
        }
        double[][] a = new double[numGtIds][numPredIds];
        for (int i = 0; i < numGtIds; i++) {
            for (int j = 0; j < numPredIds; j++) {
                a[i][j] = pm[i][j] / (gtCount[i] + predCount[j] - pm[i][j]);
            }
        }
        return new Alignment(a, gtCount, predCount);
    }

    /** @param score {@code A[gt id][pred id]}; gtCount / predCount: dets per id */
    record Alignment(double[][] score, double[] gtCount, double[] predCount) {
    }
}
