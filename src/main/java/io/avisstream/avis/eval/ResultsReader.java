package io.avisstream.avis.eval;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an official results file (spec §1.4): a list of {@code {video_id, score, category_id, segmentations}}
 * with one compressed RLE or null per frame. Entries of videos the GT does not list are skipped (as the
 * official code does); entries beyond T count in the mAP track IoU and area only (as officially); fewer than T
 * entries, which crash the official code, are an error here. A list-of-int {@code counts} (rejected by the official code) is read as uncompressed RLE.
 */
public final class ResultsReader {

    private ResultsReader() {
    }

    public static List<Prediction> read(String file, JsonNode root, GroundTruth gt) {
        if (!root.isArray()) {
            throw EvalDataException.at(file, "top level", "expected a list of predictions");
        }
        List<Prediction> parsed = Parallel.map(root.size(), i -> entry(file, root.get(i), "[" + i + "]", gt));
        return parsed.stream().filter(p -> p != null).toList();
    }

    /** One entry; null when its video is not in the GT. */
    private static Prediction entry(String file, JsonNode p, String where, GroundTruth gt) {
        if (!p.isObject()) {
            throw EvalDataException.at(file, where, "expected an object");
        }
        JsonNode videoId = p.get("video_id");
        JsonNode category = p.get("category_id");
        JsonNode score = p.get("score");
        if (videoId == null || !videoId.isIntegralNumber() || category == null || !category.isIntegralNumber()) {
            throw EvalDataException.at(file, where, "needs integer video_id and category_id");
        }
        if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
            throw EvalDataException.at(file, where, "needs a finite number score");
        }
        GtVideo video = gt.video(videoId.asInt()).orElse(null);
        if (video == null) {
            return null;
        }
        JsonNode segs = p.get("segmentations");
        if (segs == null || !segs.isArray()) {
            throw EvalDataException.at(file, where, "missing list 'segmentations'");
        }
        if (segs.size() < video.frames()) {
            throw EvalDataException.at(file, where + ".segmentations",
                    segs.size() + " entries for video " + video.id() + " of " + video.frames() + " frames");
        }
        Rle[] masks = new Rle[segs.size()]; // entries beyond T only feed the mAP track IoU and area, as officially
        for (int t = 0; t < masks.length; t++) {
            JsonNode s = segs.get(t);
            if (!s.isNull()) {
                masks[t] = Masks.rle(file, s, where + ".segmentations[" + t + "]");
            }
        }
        return new Prediction(where, video.id(), category.asInt(), score.asDouble(), masks);
    }
}
