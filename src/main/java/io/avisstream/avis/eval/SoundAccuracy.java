package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The printed "sound accuracy" of the count head (spec §3.5): per frame, the predicted count class
 * min(count, 2) against the GT class min(instance_cnt, 2).
 *
 * <p>Predicted counts come from a JSON object {@code {"<video>": [count per frame, ...]}}. GT counts come from
 * {@code <dir>/<video>.csv} (header {@code instance_cnt}, one row per frame) when a CSV directory is given,
 * else from the GT file: the number of tracks with a non-null segmentation at the frame, which is how the
 * CSVs were generated. Each listed video must have exactly one predicted count per GT frame.
 *
 * @param accuracy 100 * correct / (frames + 1e-6), unrounded as the official print
 * @param perClass correct_k / max(total_k, 1) in float32, k = 0, 1, 2 (GT class)
 */
public record SoundAccuracy(double accuracy, float[] perClass, long frames, int videos) {
    static final int CLASSES = 3;

    public static SoundAccuracy compute(String countsFile, JsonNode counts, GroundTruth gt, Map<String, int[]> csvCounts) {
        if (!counts.isObject()) {
            throw EvalDataException.at(countsFile, "top level", "expected {\"<video>\": [count, ...]}");
        }
        long[] correct = new long[CLASSES];
        long[] total = new long[CLASSES];
        int videos = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String video = e.getKey();
            int[] truth = csvCounts != null ? csvCounts.get(video)
                    : gt.videoNamed(video).map(SoundAccuracy::gtCounts).orElse(null);
            if (truth == null) {
                throw EvalDataException.at(countsFile, video, csvCounts != null ? "no " + video + ".csv in the CSV directory"
                        : "not a video of the GT");
            }
            JsonNode predicted = e.getValue();
            if (!predicted.isArray() || predicted.size() != truth.length) {
                throw EvalDataException.at(countsFile, video, "needs a list of " + truth.length + " counts (one per frame)");
            }
            for (int t = 0; t < truth.length; t++) {
                JsonNode p = predicted.get(t);
                if (!p.isIntegralNumber() || p.asLong() < 0) {
                    throw EvalDataException.at(countsFile, video + "[" + t + "]", "expected a count >= 0");
                }
                int g = Math.min(truth[t], 2);
                total[g]++;
                if (Math.min(p.asLong(), 2) == g) {
                    correct[g]++;
                }
            }
            videos++;
        }
        long frames = total[0] + total[1] + total[2];
        long right = correct[0] + correct[1] + correct[2];
        float[] perClass = new float[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            perClass[k] = (float) correct[k] / (float) Math.max(total[k], 1);
        }
        return new SoundAccuracy(100 * right / (frames + 1e-6), perClass, frames, videos);
    }

    /** Sounding objects per frame according to the GT annotation (non-null segmentations). */
    static int[] gtCounts(GtVideo v) {
        int[] out = new int[v.frames()];
        for (GtTrack t : v.tracks()) {
            for (int f = 0; f < out.length; f++) {
                out[f] += t.masks()[f] != null ? 1 : 0;
            }
        }
        return out;
    }

    /** Reads {@code <video>.csv} count files: header {@code instance_cnt}, then one integer per line. */
    static int[] csv(String file, List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).strip().equals("instance_cnt")) {
            throw EvalDataException.at(file, "line 1", "expected the header 'instance_cnt'");
        }
        List<Integer> values = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                values.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw EvalDataException.at(file, "line " + (i + 1), "expected an integer count, got '" + s + "'");
            }
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
