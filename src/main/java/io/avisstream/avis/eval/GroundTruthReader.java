package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an AVISeg annotation file (spec §1.2). Each non-null frame entry becomes one mask: polygons and boxes
 * rasterised at the annotation's {@code height x width}, uncompressed RLE dicts at their own size, then their
 * union. Where the official loader crashes this reader defines a result: a bare RLE dict (not wrapped in a
 * list) is that one mask, and a compressed {@code counts} string is decoded like in results.
 */
public final class GroundTruthReader {
    private final String file;

    private GroundTruthReader(String file) {
        this.file = file;
    }

    public static GroundTruth read(String file, JsonNode root) {
        return new GroundTruthReader(file).parse(root);
    }

    private GroundTruth parse(JsonNode root) {
        if (!root.isObject()) {
            throw EvalDataException.at(file, "top level", "expected an object with videos, annotations, categories");
        }
        List<Category> categories = new ArrayList<>();
        JsonNode cats = array(root, "categories", "top level");
        for (int i = 0; i < cats.size(); i++) {
            JsonNode c = cats.get(i);
            categories.add(new Category(intField(c, "id", "categories[" + i + "]"), c.path("name").asText("")));
        }
        JsonNode videos = array(root, "videos", "top level");
        Map<Integer, JsonNode> videoById = new TreeMap<>();
        Map<Integer, List<GtTrack>> tracks = new TreeMap<>();
        for (int i = 0; i < videos.size(); i++) {
            int id = intField(videos.get(i), "id", "videos[" + i + "]");
            if (videoById.put(id, videos.get(i)) != null) {
                throw EvalDataException.at(file, "videos[" + i + "]", "duplicate video id " + id);
            }
            tracks.put(id, new ArrayList<>());
        }
        JsonNode anns = array(root, "annotations", "top level");
        List<GtTrack> parsed = Parallel.map(anns.size(), i -> {
            String where = "annotations[" + i + "]";
            JsonNode a = anns.get(i);
            JsonNode video = videoById.get(intField(a, "video_id", where));
            // the official loader only looks at annotations of listed videos
            return video == null ? null : track(a, where, video.path("file_names").size());
        });
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < anns.size(); i++) {
            if (parsed.get(i) != null && !ids.add(parsed.get(i).id())) {
                // ids name tracks in every metric; the official relabelling would silently merge two tracks
                throw EvalDataException.at(file, "annotations[" + i + "]", "duplicate annotation id " + parsed.get(i).id());
            }
            if (parsed.get(i) != null) {
                tracks.get(anns.get(i).get("video_id").asInt()).add(parsed.get(i));
            }
        }
        List<GtVideo> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < videos.size(); i++) {
            String where = "videos[" + i + "]";
            JsonNode v = videos.get(i);
            JsonNode files = array(v, "file_names", where);
            if (files.isEmpty() || !files.get(0).isTextual()) {
                throw EvalDataException.at(file, where, "file_names must be a non-empty list of \"<video>/<n>.jpg\"");
            }
            String name = files.get(0).asText().split("/", -1)[0];
            if (names.contains(name)) {
                throw EvalDataException.at(file, where, "two videos are named '" + name + "'");
            }
            names.add(name);
            int id = intField(v, "id", where);
            out.add(new GtVideo(id, name, files.size(), v.path("height").asInt(0), v.path("width").asInt(0), tracks.get(id)));
        }
        return new GroundTruth(categories, out);
    }

    private GtTrack track(JsonNode a, String where, int frames) {
        long id = longField(a, "id", where);
        int category = intField(a, "category_id", where);
        boolean crowd = a.path("iscrowd").asInt(0) != 0;
        JsonNode segs = array(a, "segmentations", where);
        if (segs.size() < frames) {
            throw EvalDataException.at(file, where + ".segmentations",
                    segs.size() + " entries for a video of " + frames + " frames");
        }
        Rle[] masks = new Rle[segs.size()]; // entries beyond T only feed the mAP track IoU, as in the official code
        for (int t = 0; t < masks.length; t++) {
            masks[t] = frameMask(a, segs.get(t), where + ".segmentations[" + t + "]");
        }
        return new GtTrack(id, category, crowd, area(a, masks, where), masks);
    }

    /** Mean of the truthy {@code areas} entries (pairwise, as numpy); without the field, of the mask areas. */
    private double area(JsonNode a, Rle[] masks, String where) {
        List<Double> values = new ArrayList<>();
        JsonNode areas = a.get("areas");
        if (areas == null || areas.isNull()) {
            for (Rle m : masks) {
                if (m != null && m.area() != 0) {
                    values.add((double) m.area());
                }
            }
        } else {
            if (!areas.isArray()) {
                throw EvalDataException.at(file, where + ".areas", "expected a list of numbers or nulls");
            }
            for (int t = 0; t < areas.size(); t++) {
                JsonNode v = areas.get(t);
                if (v.isNull()) {
                    continue;
                }
                if (!v.isNumber()) {
                    throw EvalDataException.at(file, where + ".areas[" + t + "]", "expected a number or null");
                }
                if (v.asDouble() != 0) {
                    values.add(v.asDouble());
                }
            }
        }
        return values.isEmpty() ? 0 : NumpySum.mean(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private Rle frameMask(JsonNode ann, JsonNode seg, String where) {
        if (seg == null || seg.isNull() || (seg.isArray() && seg.isEmpty())) {
            return null;
        }
        try {
            if (seg.isObject()) {
                return rleDict(seg, where); // departure: the official merge crashes on a bare dict
            }
            if (!seg.isArray()) {
                throw EvalDataException.at(file, where, "expected a list of polygons or RLE dicts, or null");
            }
            JsonNode first = seg.get(0);
            List<Rle> parts = new ArrayList<>();
            if (first.isArray()) {
                int h = intField(ann, "height", where.substring(0, where.indexOf('.')));
                int w = intField(ann, "width", where.substring(0, where.indexOf('.')));
                // the reference picks the branch from the first polygon: exactly 4 numbers means boxes
                boolean boxes = first.size() == 4;
                if (first.size() < 4) {
                    throw EvalDataException.at(file, where + "[0]", "a polygon needs at least 6 numbers");
                }
                for (int p = 0; p < seg.size(); p++) {
                    double[] xy = numbers(seg.get(p), where + "[" + p + "]");
                    if (boxes) {
                        if (xy.length != 4) {
                            throw EvalDataException.at(file, where + "[" + p + "]", "a box needs 4 numbers");
                        }
                        parts.add(Polygons.box(xy[0], xy[1], xy[2], xy[3], h, w));
                    } else {
                        if (xy.length < 2) {
                            throw EvalDataException.at(file, where + "[" + p + "]", "a polygon needs a vertex");
                        }
                        parts.add(Polygons.rasterize(xy, h, w));
                    }
                }
            } else if (first.isObject()) {
                for (int p = 0; p < seg.size(); p++) {
                    parts.add(rleDict(seg.get(p), where + "[" + p + "]"));
                }
            } else {
                throw EvalDataException.at(file, where, "expected a list of polygons or RLE dicts");
            }
            return MaskOps.union(parts);
        } catch (IllegalArgumentException e) {
            throw EvalDataException.at(file, where, e.getMessage());
        }
    }

    private Rle rleDict(JsonNode d, String where) {
        return Masks.rle(file, d, where);
    }

    private double[] numbers(JsonNode node, String where) {
        if (!node.isArray()) {
            throw EvalDataException.at(file, where, "expected a list of numbers");
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).isNumber()) {
                throw EvalDataException.at(file, where + "[" + i + "]", "expected a number");
            }
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    private JsonNode array(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw EvalDataException.at(file, where, "missing list '" + field + "'");
        }
        return v;
    }

    private int intField(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw EvalDataException.at(file, where, "missing integer '" + field + "'");
        }
        return v.asInt();
    }

    private long longField(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw EvalDataException.at(file, where, "missing integer '" + field + "'");
        }
        return v.asLong();
    }
}
