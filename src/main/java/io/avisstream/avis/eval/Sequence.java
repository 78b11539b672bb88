package io.avisstream.avis.eval;

import java.util.List;

/**
 * One video as the evaluator sees it (spec §2.2): its GT tracks (GT-file order), its predictions (results-file
 * order) and, per frame, the present dets of both sides with their class-agnostic IoU matrix (rows GT, columns
 * predictions) and pixel intersections.
 *
 * @param firstGlobalId the global track id of the first prediction (the official counter, quirk Q1)
 */
public record Sequence(GtVideo video, List<Prediction> predictions, long firstGlobalId, Frame[] frames) {

    /**
     * @param gt indices into the video's GT tracks of the dets present at this frame, GT-file order
     * @param pred indices into the sequence's predictions present at this frame, file order
     * @param iou reference IoU, {@code [gt.length][pred.length]}
     * @param inter pixel intersections (0 where the boxes do not overlap)
     */
    public record Frame(int[] gt, int[] pred, double[][] iou, long[][] inter) {
    }

    public String name() {
        return video.name();
    }

    public int length() {
        return video.frames();
    }

    public List<GtTrack> gtTracks() {
        return video.tracks();
    }

    /** Builds the per-frame dets and IoUs; an IoU the official code would assert on is a data error. */
    public static Sequence of(GtVideo video, List<Prediction> predictions, long firstGlobalId, String resultsFile) {
        int t = video.frames();
        Frame[] frames = new Frame[t];
        List<GtTrack> tracks = video.tracks();
        for (int f = 0; f < t; f++) {
            int[] gt = present(tracks.stream().map(GtTrack::masks).toList(), f);
            int[] pred = present(predictions.stream().map(Prediction::masks).toList(), f);
            double[][] iou = new double[gt.length][pred.length];
            long[][] inter = new long[gt.length][pred.length];
            for (int i = 0; i < gt.length; i++) {
                Rle g = tracks.get(gt[i]).masks()[f];
                for (int j = 0; j < pred.length; j++) {
                    Rle d = predictions.get(pred[j]).masks()[f];
                    if (!MaskOps.boxesOverlap(d, g)) {
                        continue;
                    }
                    if (!d.sameSize(g)) {
                        throw EvalDataException.at(resultsFile,
                                predictions.get(pred[j]).label() + ".segmentations[" + f + "]",
                                "mask size " + d.height() + "x" + d.width() + " differs from the GT's " + g.height()
                                        + "x" + g.width() + " in video '" + video.name() + "'");
                    }
                    long in = MaskOps.intersection(d, g);
                    inter[i][j] = in;
                    iou[i][j] = MaskOps.iou(d, g, in);
                }
            }
            frames[f] = new Frame(gt, pred, iou, inter);
        }
        return new Sequence(video, List.copyOf(predictions), firstGlobalId, frames);
    }

    private static int[] present(List<Rle[]> tracks, int frame) {
        int n = 0;
        int[] out = new int[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i)[frame] != null) {
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
