package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Video-level track mAP and AR (spec §3.1): greedy matching on track IoU per class and sequence, then
 * COCO-style 101-point interpolated precision per class across sequences.
 */
public final class TrackMap {
    static final double EPS = Math.ulp(1.0);
    /** IoU thresholds exactly as the official code accumulates them. */
    static final double[] THRESHOLDS = { 0.5, 0.55, 0.6000000000000001, 0.6500000000000001, 0.7000000000000002,
            0.7500000000000002, 0.8000000000000003, 0.8500000000000003, 0.9000000000000004, 0.9500000000000004 };
    /** Area ranges s, m, l (index 0, "all", has none), inclusive at both ends. */
    static final double[][] AREA_RANGES = { { 0, 128 * 128 }, { 128 * 128, 256 * 256 }, { 256 * 256, 1e10 } };
    static final int RANGES = 4;
    static final double[] RECALL_THRESHOLDS = recallThresholds();

    private TrackMap() {
    }

    /** Matching outcome of one class in one sequence, for one area range: predictions in score order. */
    record Matches(double[] scores, boolean[][] tp, boolean[][] fp, int numGt) {
    }

    /** Per class: AP and AR per range and threshold ({@code [range][tau]}), -1 where the class has no GT. */
    public record ClassResult(int categoryId, double[][] ap, double[][] ar) {
    }

    /** Class means per range and threshold ({@code [range][tau]}, -1 where no class qualifies). */
    public record Result(double[][] ap, double[][] ar, List<ClassResult> perClass) {
        /** The reported value of a range (0 all, 1 s, 2 m, 3 l): mean over the thresholds. */
        public double ap(int range) {
            return NumpySum.mean(ap[range]);
        }

        public double ar(int range) {
            return NumpySum.mean(ar[range]);
        }
    }

    public static Result evaluate(List<Category> categories, List<Sequence> sequences) {
        List<ClassResult> perClass = Parallel.map(categories.size(), k -> {
            List<Matches[]> perSequence = new ArrayList<>();
            for (Sequence s : sequences) {
                Matches[] m = matchSequence(s, categories.get(k).id());
                if (m != null) {
                    perSequence.add(m);
                }
            }
            return accumulate(categories.get(k).id(), perSequence);
        });
        double[][] ap = new double[RANGES][THRESHOLDS.length];
        double[][] ar = new double[RANGES][THRESHOLDS.length];
        for (int k = 0; k < RANGES; k++) {
            for (int a = 0; a < THRESHOLDS.length; a++) {
                int kk = k;
                int aa = a;
                ap[k][a] = classMean(perClass.stream().mapToDouble(r -> r.ap()[kk][aa]).toArray());
                ar[k][a] = classMean(perClass.stream().mapToDouble(r -> r.ar()[kk][aa]).toArray());
            }
        }
        return new Result(ap, ar, perClass);
    }

    /** Mean over the classes whose value is > -1 (classes without GT are skipped), -1 if none. */
    private static double classMean(double[] values) {
        double[] kept = Arrays.stream(values).filter(v -> v > -1).toArray();
        return kept.length == 0 ? -1 : NumpySum.mean(kept);
    }

    /** Greedy matching of one class in one sequence; null when the class has neither GT nor predictions there. */
    static Matches[] matchSequence(Sequence s, int category) {
        List<GtTrack> gts = s.gtTracks().stream().filter(g -> g.categoryId() == category).toList();
        List<Integer> predIndex = IntStream.range(0, s.predictions().size())
                .filter(i -> s.predictions().get(i).categoryId() == category).boxed()
                .sorted(Comparator.comparingDouble(i -> -s.predictions().get(i).score())) // stable: file order on ties
                .toList();
        if (gts.isEmpty() && predIndex.isEmpty()) {
            return null;
        }
        int nd = predIndex.size();
        int ng = gts.size();
        double[][] ious = trackIous(s, gts, predIndex);
        double[] dtArea = new double[nd];
        long[] dtGlobalId = new long[nd];
        double[] scores = new double[nd];
        for (int d = 0; d < nd; d++) {
            Prediction p = s.predictions().get(predIndex.get(d));
            dtArea[d] = trackArea(p.masks());
            dtGlobalId[d] = s.firstGlobalId() + predIndex.get(d);
            scores[d] = p.score();
        }
        Matches[] out = new Matches[RANGES];
        for (int k = 0; k < RANGES; k++) {
            boolean[] gtIg = new boolean[ng];
            for (int g = 0; g < ng; g++) {
                gtIg[g] = gts.get(g).crowd() || (k > 0 && !inRange(gts.get(g).area(), k));
            }
            // non-ignored GT first, stable
            Integer[] order = IntStream.range(0, ng).boxed().sorted(Comparator.comparing(g -> gtIg[g])).toArray(Integer[]::new);
            int numGt = 0;
            for (boolean ig : gtIg) {
                numGt += ig ? 0 : 1;
            }
            boolean[][] tp = new boolean[THRESHOLDS.length][nd];
            boolean[][] fp = new boolean[THRESHOLDS.length][nd];
            for (int a = 0; a < THRESHOLDS.length; a++) {
                long[] gtMatchedBy = new long[ng]; // the matching prediction's global id, 0 = none (quirk Q1)
                for (int d = 0; d < nd; d++) {
                    double best = Math.min(THRESHOLDS[a], 1 - 1e-10);
                    int m = -1;
                    for (int g : order) {
                        if (gtMatchedBy[g] > 0) {
                            continue;
                        }
                        if (m > -1 && !gtIg[m] && gtIg[g]) {
                            break;
                        }
                        if (ious[d][g] < best - EPS) {
                            continue;
                        }
                        best = ious[d][g];
                        m = g; // equal IoU: the later GT wins
                    }
                    boolean matched = m != -1;
                    boolean ignored = matched ? gtIg[m] : k > 0 && !inRange(dtArea[d], k);
                    if (matched) {
                        gtMatchedBy[m] = dtGlobalId[d];
                    }
                    tp[a][d] = matched && !ignored;
                    fp[a][d] = !matched && !ignored;
                }
            }
            out[k] = new Matches(scores, tp, fp, numGt);
        }
        return out;
    }

    private static boolean inRange(double area, int k) {
        double[] r = AREA_RANGES[k - 1];
        return r[0] - EPS <= area && area <= r[1] + EPS;
    }

    /** Mean of the non-zero per-frame areas of a prediction (0 if none). */
    static double trackArea(Rle[] masks) {
        double[] areas = Arrays.stream(masks).filter(m -> m != null && m.area() != 0).mapToDouble(Rle::area).toArray();
        return areas.length == 0 ? 0 : NumpySum.mean(areas);
    }

    /** Track IoU {@code [pred][gt]}: summed intersections over summed unions across frames. */
    private static double[][] trackIous(Sequence s, List<GtTrack> gts, List<Integer> predIndex) {
        int nd = predIndex.size();
        int ng = gts.size();
        double[][] inter = new double[nd][ng];
        double[][] union = new double[nd][ng];
        int[] gtTrack = new int[ng];
        for (int g = 0; g < ng; g++) {
            gtTrack[g] = s.gtTracks().indexOf(gts.get(g));
        }
        // every entry of both lists counts, also entries beyond the video's T (the official track dicts keep them)
        int length = s.length();
        for (int d = 0; d < nd; d++) {
            length = Math.max(length, s.predictions().get(predIndex.get(d)).masks().length);
        }
        for (GtTrack g : gts) {
            length = Math.max(length, g.masks().length);
        }
        for (int f = 0; f < length; f++) {
            Sequence.Frame frame = f < s.length() ? s.frames()[f] : null;
            for (int d = 0; d < nd; d++) {
                Rle dm = at(s.predictions().get(predIndex.get(d)).masks(), f);
                int col = dm == null || frame == null ? -1 : Arrays.binarySearch(frame.pred(), predIndex.get(d));
                for (int g = 0; g < ng; g++) {
                    Rle gm = at(gts.get(g).masks(), f);
                    if (dm != null && gm != null) {
                        if (dm.sameSize(gm)) {
                            long in = frame == null ? MaskOps.intersection(dm, gm)
                                    : frame.inter()[Arrays.binarySearch(frame.gt(), gtTrack[g])][col];
                            inter[d][g] += in;
                            union[d][g] += dm.area() + gm.area() - in;
                        } // different sizes: the reference merge yields an empty 0x0 mask for both
                    } else if (gm != null) {
                        union[d][g] += gm.area();
                    } else if (dm != null) {
                        union[d][g] += dm.area();
                    }
                }
            }
        }
        double[][] iou = new double[nd][ng];
        for (int d = 0; d < nd; d++) {
            for (int g = 0; g < ng; g++) {
                iou[d][g] = union[d][g] > EPS ? inter[d][g] / union[d][g] : 0;
            }
        }
        return iou;
    }

    private static Rle at(Rle[] masks, int f) {
        return f < masks.length ? masks[f] : null;
    }

    /** Precision/recall of one class across sequences (sorted by score, stable). */
    private static ClassResult accumulate(int category, List<Matches[]> perSequence) {
        double[][] ap = new double[RANGES][THRESHOLDS.length];
        double[][] ar = new double[RANGES][THRESHOLDS.length];
        for (int k = 0; k < RANGES; k++) {
            int kk = k;
            double[] scores = perSequence.stream().flatMapToDouble(m -> Arrays.stream(m[kk].scores())).toArray();
            int numGt = perSequence.stream().mapToInt(m -> m[kk].numGt()).sum();
            Integer[] order = IntStream.range(0, scores.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> -scores[i])).toArray(Integer[]::new);
            for (int a = 0; a < THRESHOLDS.length; a++) {
                if (numGt == 0) {
                    ap[k][a] = -1;
                    ar[k][a] = -1;
                    continue;
                }
                int aa = a;
                boolean[] tp = concat(perSequence, m -> m[kk].tp()[aa], scores.length);
                boolean[] fp = concat(perSequence, m -> m[kk].fp()[aa], scores.length);
                double[] precision = new double[scores.length];
                double[] recall = new double[scores.length];
                double tpSum = 0;
                double fpSum = 0;
                for (int i = 0; i < order.length; i++) {
                    tpSum += tp[order[i]] ? 1 : 0;
                    fpSum += fp[order[i]] ? 1 : 0;
                    recall[i] = tpSum / numGt;
                    precision[i] = tpSum / (fpSum + tpSum + EPS);
                }
                ar[k][a] = recall.length == 0 ? 0 : recall[recall.length - 1];
                for (int i = precision.length - 1; i > 0; i--) {
                    if (precision[i] > precision[i - 1]) {
                        precision[i - 1] = precision[i];
                    }
                }
                double[] atRecall = new double[RECALL_THRESHOLDS.length];
                int i = 0;
                for (int r = 0; r < RECALL_THRESHOLDS.length; r++) {
                    while (i < recall.length && recall[i] < RECALL_THRESHOLDS[r]) {
                        i++;
                    }
                    if (i == recall.length) {
                        break; // the rest stay 0
                    }
                    atRecall[r] = precision[i];
                }
                ap[k][a] = NumpySum.mean(atRecall);
            }
        }
        return new ClassResult(category, ap, ar);
    }

    private static boolean[] concat(List<Matches[]> perSequence, java.util.function.Function<Matches[], boolean[]> part,
            int n) {
        boolean[] out = new boolean[n];
        int at = 0;
        for (Matches[] m : perSequence) {
            boolean[] p = part.apply(m);
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static double[] recallThresholds() {
        double[] r = new double[101];
        for (int i = 0; i < 100; i++) {
            r[i] = i * 0.01;
        }
        r[100] = 1.0;
        return r;
    }
}
