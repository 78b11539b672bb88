package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * HOTA and its sub-metrics (spec §3.2): per class and sequence with mask IoU as similarity, summed over
 * sequences per class, then a plain mean over every GT category (empty classes included).
 */
public final class Hota {
    static final double EPS = TrackMap.EPS;
    /** alpha thresholds exactly as the official code builds them. */
    static final double[] ALPHAS = { 0.05, 0.1, 0.15000000000000002, 0.2, 0.25, 0.3, 0.35000000000000003, 0.4, 0.45,
            0.5, 0.55, 0.6000000000000001, 0.6500000000000001, 0.7000000000000001, 0.7500000000000001, 0.8,
            0.8500000000000001, 0.9000000000000001, 0.9500000000000001 };
    static final int A = ALPHAS.length;

    private Hota() {
    }

    /** Per-alpha arrays of one class (or of the class average). */
    public record Fields(double[] tp, double[] fn, double[] fp, double[] assA, double[] assRe, double[] assPr,
            double[] locA, double[] detRe, double[] detPr, double[] detA, double[] hota) {

        static Fields finish(double[] tp, double[] fn, double[] fp, double[] assA, double[] assRe, double[] assPr,
                double[] locA) {
            double[] detRe = new double[A];
            double[] detPr = new double[A];
            double[] detA = new double[A];
            double[] hota = new double[A];
            for (int a = 0; a < A; a++) {
                detRe[a] = tp[a] / Math.max(1, tp[a] + fn[a]);
                detPr[a] = tp[a] / Math.max(1, tp[a] + fp[a]);
                detA[a] = tp[a] / Math.max(1, tp[a] + fn[a] + fp[a]);
                hota[a] = Math.sqrt(detA[a] * assA[a]);
            }
            return new Fields(tp, fn, fp, assA, assRe, assPr, locA, detRe, detPr, detA, hota);
        }
    }

    /** The per-alpha accumulators of one class, filled in place, then turned into {@link Fields}. */
    private static final class Sums {
        final double[] tp = new double[A];
        final double[] fn = new double[A];
        final double[] fp = new double[A];
        final double[] assA = new double[A];
        final double[] assRe = new double[A];
        final double[] assPr = new double[A];
        final double[] locA = new double[A];

        Fields finish() {
            return Fields.finish(tp, fn, fp, assA, assRe, assPr, locA);
        }
    }

    public record ClassResult(int categoryId, Fields fields) {
    }

    public record Result(Fields average, List<ClassResult> perClass) {
    }

    public static Result evaluate(List<Category> categories, List<Sequence> sequences) {
        List<ClassResult> perClass = Parallel.map(categories.size(), k -> {
            int id = categories.get(k).id();
            List<Fields> perSequence = new ArrayList<>();
            for (Sequence s : sequences) {
                IdView view = IdView.of(s, g -> s.gtTracks().get(g).categoryId() == id,
                        p -> s.predictions().get(p).categoryId() == id);
                perSequence.add(sequence(view));
            }
            return new ClassResult(id, combineSequences(perSequence));
        });
        return new Result(averageClasses(perClass.stream().map(ClassResult::fields).toList()), perClass);
    }

    /** One class in one sequence. */
    static Fields sequence(IdView v) {
        Sums sums = new Sums();
        double[] tp = sums.tp;
        double[] fn = sums.fn;
        double[] fp = sums.fp;
        double[] assA = sums.assA;
        double[] assRe = sums.assRe;
        double[] assPr = sums.assPr;
        double[] locA = sums.locA;
        int gtDets = v.numGtDets();
        int predDets = v.numPredDets();
        if (predDets == 0 || gtDets == 0) {
            for (int a = 0; a < A; a++) {
                fn[a] = predDets == 0 ? gtDets : 0;
                fp[a] = predDets == 0 ? 0 : predDets;
                locA[a] = 1;
            }
            return sums.finish();
        }
        IdView.Alignment alignment = v.alignment();
        double[][][] matches = new double[A][v.numGtIds()][v.numPredIds()];
        for (int f = 0; f < v.gtIds().length; f++) {
            int[] gt = v.gtIds()[f];
            int[] pred = v.predIds()[f];
            if (gt.length == 0) {
                for (int a = 0; a < A; a++) {
                    fp[a] += pred.length;
                }
                continue;
            }
            if (pred.length == 0) {
                for (int a = 0; a < A; a++) {
                    fn[a] += gt.length;
                }
                continue;
            }
            double[][] s = v.similarity()[f];
            double[][] cost = new double[gt.length][pred.length];
            for (int i = 0; i < gt.length; i++) {
                for (int j = 0; j < pred.length; j++) {
                    cost[i][j] = -(alignment.score()[gt[i]][pred[j]] * s[i][j]);
                }
            }
            LinearSumAssignment.Pairs pairs = LinearSumAssignment.minimize(cost);
            for (int a = 0; a < A; a++) {
                int matched = 0;
                double loc = 0;
                for (int k = 0; k < pairs.size(); k++) {
                    double sim = s[pairs.rows()[k]][pairs.cols()[k]];
                    if (sim >= ALPHAS[a] - EPS) {
                        matched++;
                        loc += sim;
                        matches[a][gt[pairs.rows()[k]]][pred[pairs.cols()[k]]] += 1;
                    }
                }
                tp[a] += matched;
                fn[a] += gt.length - matched;
                fp[a] += pred.length - matched;
                if (matched > 0) {
                    locA[a] += loc;
                }
            }
        }
        double[] gtCount = alignment.gtCount();
        double[] predCount = alignment.predCount();
        int n = v.numGtIds() * v.numPredIds();
        for (int a = 0; a < A; a++) {
            double[] termA = new double[n];
            double[] termRe = new double[n];
            double[] termPr = new double[n];
            for (int i = 0; i < v.numGtIds(); i++) {
                for (int j = 0; j < v.numPredIds(); j++) {
                    double mc = matches[a][i][j];
                    int at = i * v.numPredIds() + j;
                    termA[at] = mc * (mc / Math.max(1, gtCount[i] + predCount[j] - mc));
                    termRe[at] = mc * (mc / Math.max(1, gtCount[i]));
                    termPr[at] = mc * (mc / Math.max(1, predCount[j]));
                }
            }
            double denominator = Math.max(1, tp[a]);
            assA[a] = NumpySum.pairwise(termA) / denominator;
            assRe[a] = NumpySum.pairwise(termRe) / denominator;
            assPr[a] = NumpySum.pairwise(termPr) / denominator;
            locA[a] = Math.max(1e-10, locA[a]) / Math.max(1e-10, tp[a]);
        }
        return sums.finish();
    }

    /** Sums the counts over sequences (in order); Ass* and LocA are TP-weighted. */
    static Fields combineSequences(List<Fields> perSequence) {
        Sums s = new Sums();
        for (int a = 0; a < A; a++) {
            double wA = 0;
            double wRe = 0;
            double wPr = 0;
            double wLoc = 0;
            for (Fields f : perSequence) {
                s.tp[a] += f.tp()[a];
                s.fn[a] += f.fn()[a];
                s.fp[a] += f.fp()[a];
                wA += f.assA()[a] * f.tp()[a];
                wRe += f.assRe()[a] * f.tp()[a];
                wPr += f.assPr()[a] * f.tp()[a];
                wLoc += f.locA()[a] * f.tp()[a];
            }
            s.assA[a] = wA / Math.max(1.0, s.tp[a]);
            s.assRe[a] = wRe / Math.max(1.0, s.tp[a]);
            s.assPr[a] = wPr / Math.max(1.0, s.tp[a]);
            s.locA[a] = Math.max(1e-10, wLoc) / Math.max(1e-10, s.tp[a]);
        }
        return s.finish();
    }

    /** Plain mean over classes, left to right per alpha (numpy mean over axis 0). */
    static Fields averageClasses(List<Fields> classes) {
        double n = classes.size();
        return new Fields(
                mean(classes, Fields::tp, n, true), mean(classes, Fields::fn, n, true), mean(classes, Fields::fp, n, true),
                mean(classes, Fields::assA, n, false), mean(classes, Fields::assRe, n, false),
                mean(classes, Fields::assPr, n, false), mean(classes, Fields::locA, n, false),
                mean(classes, Fields::detRe, n, false), mean(classes, Fields::detPr, n, false),
                mean(classes, Fields::detA, n, false), mean(classes, Fields::hota, n, false));
    }

    private static double[] mean(List<Fields> classes, java.util.function.Function<Fields, double[]> field, double n,
            boolean sum) {
        double[] out = new double[A];
        for (Fields f : classes) {
            double[] v = field.apply(f);
            for (int a = 0; a < A; a++) {
                out[a] += v[a];
            }
        }
        if (!sum) {
            for (int a = 0; a < A; a++) {
                out[a] /= n;
            }
        }
        return out;
    }
}
