package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Frame-level sounding localisation accuracy (spec §3.3): one class-agnostic track assignment per video, then
 * per frame and alpha a pass/fail by frame type (n: no sounding GT, s: one, m: several). The official index
 * quirks are kept literally: the s-frame looks up the assignment slot whose column equals the GT's file
 * position and compares with the prediction at that slot's position; m-frames use the assigned row as a
 * GT-file position and the assigned column as a position in the frame's prediction dets.
 *
 * <p>Where the official code raises IndexError (a slot beyond the frame's prediction dets, possible when
 * predictions contain null), the frame fails here.
 */
public final class Fsla {
    static final int A = Hota.A;

    private Fsla() {
    }

    /** Frame counts per type and alpha ({@code [type][alpha]}, type 0 n, 1 s, 2 m). */
    public record Counts(long[][] tp, long[] all) {
        static Counts zero() {
            return new Counts(new long[3][A], new long[3]);
        }

        void add(Counts o) {
            for (int type = 0; type < 3; type++) {
                all[type] += o.all[type];
                for (int a = 0; a < A; a++) {
                    tp[type][a] += o.tp[type][a];
                }
            }
        }
    }

    public record VideoResult(String name, Counts counts) {
    }

    public record Result(Counts total, List<VideoResult> perVideo) {
        /** FA per alpha over all frames. */
        public double[] fa() {
            double[] out = new double[A];
            long all = total.all[0] + total.all[1] + total.all[2];
            for (int a = 0; a < A; a++) {
                out[a] = (double) (total.tp[0][a] + total.tp[1][a] + total.tp[2][a]) / all;
            }
            return out;
        }

        /** FAn / FAs / FAm per alpha (NaN when the type never occurs). */
        public double[] fa(int type) {
            double[] out = new double[A];
            for (int a = 0; a < A; a++) {
                out[a] = (double) total.tp[type][a] / total.all[type];
            }
            return out;
        }
    }

    public static Result evaluate(List<Sequence> sequences) {
        List<VideoResult> perVideo = Parallel.map(sequences.size(),
                i -> new VideoResult(sequences.get(i).name(), video(sequences.get(i))));
        Counts total = Counts.zero();
        perVideo.forEach(v -> total.add(v.counts()));
        return new Result(total, perVideo);
    }

    static Counts video(Sequence s) {
        IdView view = IdView.of(s, g -> true, p -> true);
        IdView.Alignment alignment = view.alignment();
        double[][] cost = new double[view.numGtIds()][view.numPredIds()];
        for (int i = 0; i < cost.length; i++) {
            for (int j = 0; j < cost[i].length; j++) {
                cost[i][j] = -alignment.score()[i][j];
            }
        }
        LinearSumAssignment.Pairs pairs = LinearSumAssignment.minimize(cost);
        List<GtTrack> tracks = s.gtTracks();
        Counts counts = Counts.zero();
        for (int f = 0; f < s.length(); f++) {
            Sequence.Frame frame = s.frames()[f];
            List<Rle> preds = new ArrayList<>();
            List<Integer> predClasses = new ArrayList<>();
            int nonEmpty = 0;
            for (int p : frame.pred()) {
                Rle m = s.predictions().get(p).masks()[f];
                preds.add(m);
                predClasses.add(s.predictions().get(p).categoryId());
                nonEmpty += Rle.EMPTY_720P.equals(m.encoded()) ? 0 : 1;
            }
            Set<Integer> gtClasses = new HashSet<>();
            for (int g : frame.gt()) {
                gtClasses.add(tracks.get(g).categoryId());
            }
            int type = Math.min(frame.gt().length, 2);
            counts.all[type]++;
            boolean precondition = gtClasses.equals(new HashSet<>(predClasses)) && frame.gt().length == nonEmpty;
            if (!precondition) {
                continue;
            }
            for (int a = 0; a < A; a++) {
                boolean pass = switch (type) {
                    case 0 -> true;
                    case 1 -> singleSource(s, f, frame, preds, pairs, Hota.ALPHAS[a]);
                    default -> multiSource(s, f, preds, predClasses, pairs, Hota.ALPHAS[a]);
                };
                if (pass) {
                    counts.tp[type][a]++;
                }
            }
        }
        return counts;
    }

    private static boolean singleSource(Sequence s, int f, Sequence.Frame frame, List<Rle> preds,
            LinearSumAssignment.Pairs pairs, double alpha) {
        int q = frame.gt()[0]; // GT-file position of the first track present at f
        for (int k = 0; k < pairs.size(); k++) {
            if (pairs.cols()[k] == q) {
                if (k >= preds.size()) {
                    return false; // IndexError in the official code
                }
                return MaskOps.iou(s.gtTracks().get(q).masks()[f], preds.get(k)) > alpha;
            }
        }
        return false;
    }

    private static boolean multiSource(Sequence s, int f, List<Rle> preds, List<Integer> predClasses,
            LinearSumAssignment.Pairs pairs, double alpha) {
        for (int k = 0; k < pairs.size(); k++) {
            int row = pairs.rows()[k];
            int col = pairs.cols()[k];
            if (col >= preds.size()) {
                return false; // IndexError in the official code
            }
            GtTrack gt = s.gtTracks().get(row);
            if (gt.categoryId() != predClasses.get(col)) {
                return false;
            }
            Rle raw = gt.masks()[f];
            Rle pred = preds.get(col);
            boolean ok = raw == null ? Rle.EMPTY_720P.equals(pred.encoded()) : MaskOps.iou(raw, pred) > alpha;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
