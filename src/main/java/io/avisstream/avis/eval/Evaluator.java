package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs the official AVISeg evaluation (TrackMAP, HOTA, FSLA) on a parsed GT and results: sequences in
 * ascending name order (Python code point order), predictions per sequence in results-file order, global track
 * ids from one counter over the sorted sequences.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** Everything the evaluation computed; {@link #metrics()} is the official result object. */
    public record Evaluation(Metrics metrics, TrackMap.Result map, Hota.Result hota, Fsla.Result fsla,
            List<Sequence> sequences) {
    }

    public static Evaluation evaluate(GroundTruth gt, List<Prediction> predictions, String resultsFile) {
        List<Sequence> sequences = sequences(gt, predictions, resultsFile);
        TrackMap.Result map = TrackMap.evaluate(gt.categories(), sequences);
        Hota.Result hota = Hota.evaluate(gt.categories(), sequences);
        Fsla.Result fsla = Fsla.evaluate(sequences);
        return new Evaluation(Metrics.of(map, hota.average(), fsla), map, hota, fsla, sequences);
    }

    static List<Sequence> sequences(GroundTruth gt, List<Prediction> predictions, String resultsFile) {
        List<GtVideo> videos = new ArrayList<>(gt.videos());
        videos.sort(Comparator.comparing(GtVideo::name, Evaluator::compareCodePoints));
        List<List<Prediction>> perVideo = new ArrayList<>();
        long[] firstId = new long[videos.size()];
        long nextId = 0;
        for (int i = 0; i < videos.size(); i++) {
            int id = videos.get(i).id();
            List<Prediction> mine = predictions.stream().filter(p -> p.videoId() == id).toList();
            perVideo.add(mine);
            firstId[i] = nextId;
            nextId += mine.size();
        }
        return Parallel.map(videos.size(), i -> Sequence.of(videos.get(i), perVideo.get(i), firstId[i], resultsFile));
    }

    static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
