package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes predictions in the official results format (compressed RLE per frame, null where absent). */
final class ResultsWriter {

    private ResultsWriter() {
    }

    static List<Map<String, Object>> toJson(GroundTruth gt, List<Prediction> predictions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Prediction p : predictions) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("video_id", p.videoId());
            entry.put("score", p.score());
            entry.put("category_id", p.categoryId());
            List<Object> segs = new ArrayList<>();
            for (Rle m : p.masks()) {
                segs.add(m == null ? null : Map.of("size", List.of(m.height(), m.width()), "counts", m.encoded()));
            }
            entry.put("segmentations", segs);
            out.add(entry);
        }
        return out;
    }
}
