package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Renders an evaluation: the console table, the official JSON object, and the optional detail. */
public final class MetricsReport {

    private MetricsReport() {
    }

    /** The official result object as one JSON object; NaN is written as the string "NaN". */
    public static String json(Metrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.asMap().forEach((k, v) -> out.put(k, v instanceof Double d && d.isNaN() ? "NaN" : v));
        return write(out);
    }

    public static String table(Metrics m) {
        StringBuilder s = new StringBuilder();
        s.append("mAP (track AP)\n");
        row(s, "AP_all", m.apAll(), "(mAP)");
        row(s, "AP_s", m.apS(), "");
        row(s, "AP_m", m.apM(), "");
        row(s, "AP_l", m.apL(), "");
        row(s, "AR_all", m.arAll(), "");
        s.append("HOTA\n");
        row(s, "HOTA", m.hota(), "");
        row(s, "DetA", m.detA(), "");
        row(s, "AssA", m.assA(), "");
        row(s, "DetRe", m.detRe(), "");
        row(s, "DetPr", m.detPr(), "");
        row(s, "AssRe", m.assRe(), "");
        row(s, "AssPr", m.assPr(), "");
        row(s, "LocA", m.locA(), "");
        s.append("FSLA (frame accuracy)\n");
        row(s, "FA", m.fa(), "(FSLA)");
        row(s, "FAn", m.faN(), String.format("%d / %d frames without a sounding object", m.faNCount(), m.faNAll()));
        row(s, "FAs", m.faS(), String.format("%d / %d frames with one", m.faSCount(), m.faSAll()));
        row(s, "FAm", m.faM(), String.format("%d / %d frames with several", m.faMCount(), m.faMAll()));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, double value, String note) {
        s.append(String.format("  %-7s %8s  %s", name, Double.isNaN(value) ? "NaN" : String.valueOf(value), note).stripTrailing())
                .append('\n');
    }

    /** Per-class and per-video figures: mAP/AR and HOTA per class, FSLA frame counts per video. */
    public static Map<String, Object> detail(GroundTruth gt, Evaluator.Evaluation e) {
        List<Map<String, Object>> classes = new ArrayList<>();
        for (int c = 0; c < gt.categories().size(); c++) {
            Category cat = gt.categories().get(c);
            TrackMap.ClassResult map = e.map().perClass().get(c);
            Hota.Fields h = e.hota().perClass().get(c).fields();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category_id", cat.id());
            row.put("name", cat.name());
            row.put("AP_all", map.ap()[0][0] < 0 ? -100.0 : Metrics.pct(NumpySum.mean(map.ap()[0])));
            row.put("AR_all", map.ar()[0][0] < 0 ? -100.0 : Metrics.pct(NumpySum.mean(map.ar()[0])));
            row.put("HOTA", Metrics.pct(NumpySum.mean(h.hota())));
            row.put("DetA", Metrics.pct(NumpySum.mean(h.detA())));
            row.put("AssA", Metrics.pct(NumpySum.mean(h.assA())));
            row.put("LocA", Metrics.pct(NumpySum.mean(h.locA())));
            classes.add(row);
        }
        List<Map<String, Object>> videos = new ArrayList<>();
        for (int i = 0; i < e.sequences().size(); i++) {
            Sequence s = e.sequences().get(i);
            Fsla.Counts c = e.fsla().perVideo().get(i).counts();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("video", s.name());
            row.put("frames", s.length());
            row.put("gt_tracks", s.gtTracks().size());
            row.put("predictions", s.predictions().size());
            long[] all = c.all();
            double[] passed = new double[Hota.A];
            for (int a = 0; a < Hota.A; a++) {
                passed[a] = c.tp()[0][a] + c.tp()[1][a] + c.tp()[2][a];
            }
            row.put("FA", Metrics.pct(NumpySum.mean(passed) / s.length()));
            row.put("n_frames", all[0]);
            row.put("s_frames", all[1]);
            row.put("m_frames", all[2]);
            videos.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classes", classes);
        out.put("videos", videos);
        return out;
    }

    public static String detailTable(Map<String, Object> detail) {
        StringBuilder s = new StringBuilder("per class\n");
        s.append(String.format("  %-16s %8s %8s %8s %8s %8s %8s%n", "class", "AP_all", "AR_all", "HOTA", "DetA", "AssA",
                "LocA"));
        for (Object o : (List<?>) detail.get("classes")) {
            Map<?, ?> r = (Map<?, ?>) o;
            s.append(String.format("  %-16s %8s %8s %8s %8s %8s %8s%n", r.get("name"), r.get("AP_all"), r.get("AR_all"),
                    r.get("HOTA"), r.get("DetA"), r.get("AssA"), r.get("LocA")));
        }
        s.append("per video\n");
        s.append(String.format("  %-24s %6s %6s %6s %8s %6s %6s %6s%n", "video", "frames", "gt", "pred", "FA", "n", "s",
                "m"));
        for (Object o : (List<?>) detail.get("videos")) {
            Map<?, ?> r = (Map<?, ?>) o;
            s.append(String.format("  %-24s %6s %6s %6s %8s %6s %6s %6s%n", r.get("video"), r.get("frames"),
                    r.get("gt_tracks"), r.get("predictions"), r.get("FA"), r.get("n_frames"), r.get("s_frames"),
                    r.get("m_frames")));
        }
        return s.toString();
    }

    static String write(Object value) {
        try {
            return InputFiles.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
