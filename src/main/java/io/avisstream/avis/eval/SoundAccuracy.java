package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

    /** From a counts file {@code {"<video>": [count per frame, ...]}}: every frame of each listed video. */
    public static SoundAccuracy compute(String countsFile, JsonNode counts, GroundTruth gt, Map<String, int[]> csvCounts) {
        if (!counts.isObject()) {
            throw EvalDataException.at(countsFile, "top level", "expected {\"<video>\": [count, ...]}");
        }
        Map<String, int[]> predicted = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String video = e.getKey();
            int[] truth = truth(countsFile, video, gt, csvCounts);
            JsonNode list = e.getValue();
            if (!list.isArray() || list.size() != truth.length) {
                throw EvalDataException.at(countsFile, video, "needs a list of " + truth.length + " counts (one per frame)");
            }
            int[] values = new int[truth.length];
            for (int t = 0; t < truth.length; t++) {
                JsonNode p = list.get(t);
                if (!p.isIntegralNumber() || p.asLong() < 0) {
                    throw EvalDataException.at(countsFile, video + "[" + t + "]", "expected a count >= 0");
                }
                values[t] = (int) Math.min(p.asLong(), Integer.MAX_VALUE);
            }
            predicted.put(video, values);
        }
        return compute(countsFile, predicted, gt, csvCounts);
    }

    /**
     * @param predicted per video name, the predicted count per frame, -1 where there is none (such frames are
     *        left out, e.g. frames the service did not infer)
     */
    public static SoundAccuracy compute(String source, Map<String, int[]> predicted, GroundTruth gt,
            Map<String, int[]> csvCounts) {
        long[] correct = new long[CLASSES];
        long[] total = new long[CLASSES];
        for (Map.Entry<String, int[]> e : predicted.entrySet()) {
            int[] truth = truth(source, e.getKey(), gt, csvCounts);
            int[] values = e.getValue();
            for (int t = 0; t < Math.min(truth.length, values.length); t++) {
                if (values[t] < 0) {
                    continue;
                }
                int g = Math.min(truth[t], 2);
                total[g]++;
                if (Math.min(values[t], 2) == g) {
                    correct[g]++;
                }
            }
        }
        long frames = total[0] + total[1] + total[2];
        long right = correct[0] + correct[1] + correct[2];
        float[] perClass = new float[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            perClass[k] = (float) correct[k] / (float) Math.max(total[k], 1);
        }
        return new SoundAccuracy(100 * right / (frames + 1e-6), perClass, frames, predicted.size());
    }

    private static int[] truth(String source, String video, GroundTruth gt, Map<String, int[]> csvCounts) {
        int[] truth = csvCounts != null ? csvCounts.get(video) : gt.videoNamed(video).map(SoundAccuracy::gtCounts).orElse(null);
        if (truth == null) {
            throw EvalDataException.at(source, video, csvCounts != null ? "no " + video + ".csv in the CSV directory"
                    : "not a video of the GT");
        }
        return truth;
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
