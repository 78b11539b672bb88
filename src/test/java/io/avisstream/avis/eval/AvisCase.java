package io.avisstream.avis.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;

/**
 * Builds an AVISeg GT file and a results file the way spec §5 describes its cases (rectangles as GT polygons,
 * predictions as compressed RLE from the engine's encoder), writes them, and runs {@code evaluate} on them.
 */
final class AvisCase {
    static final ObjectMapper JSON = new ObjectMapper();
    /** An all-empty prediction mask on a frame. */
    static final Rect EMPTY = new Rect(0, 0, 0, 0);

    static final Rect A = new Rect(100, 100, 300, 200);
    static final Rect B = new Rect(700, 100, 900, 200);
    static final Rect S = new Rect(400, 400, 600, 500);
    static final Rect SQ = new Rect(100, 300, 200, 400);
    static final Rect SQB = new Rect(600, 300, 700, 400);

    static final int PERSON = 1;
    static final int GUITAR = 3;

    /** [x0, x1) x [y0, y1). */
    record Rect(int x0, int y0, int x1, int y1) {
        long area() {
            return (long) (x1 - x0) * (y1 - y0);
        }
    }

    private final int height;
    private final int width;
    private final List<Map<String, Object>> categories = new ArrayList<>();
    private final List<Map<String, Object>> videos = new ArrayList<>();
    private final List<Map<String, Object>> annotations = new ArrayList<>();
    private final List<Map<String, Object>> results = new ArrayList<>();
    private final Map<Integer, Integer> frames = new HashMap<>();
    private boolean gtAsUncompressedRle;

    private AvisCase(int height, int width) {
        this.height = height;
        this.width = width;
    }

    static AvisCase at720p() {
        return new AvisCase(720, 1280);
    }

    static AvisCase at(int height, int width) {
        return new AvisCase(height, width);
    }

    AvisCase categories(int... ids) {
        for (int id : ids) {
            categories.add(Map.of("id", id, "name", io.avisstream.avis.message.AvisClasses.name(id - 1)));
        }
        return this;
    }

    AvisCase allCategories() {
        return categories(java.util.stream.IntStream.rangeClosed(1, 26).toArray());
    }

    AvisCase video(int id, String name, int length) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            files.add(name + "/" + i + ".jpg");
        }
        videos.add(Map.of("id", id, "file_names", files, "height", height, "width", width, "length", length));
        frames.put(id, length);
        return this;
    }

    AvisCase gtAsUncompressedRle() {
        gtAsUncompressedRle = true;
        return this;
    }

    /** A GT track: per frame a rectangle or null. */
    AvisCase gt(int id, int videoId, int category, Rect... perFrame) {
        List<Object> segs = new ArrayList<>();
        List<Object> areas = new ArrayList<>();
        List<Object> boxes = new ArrayList<>();
        for (Rect r : perFrame) {
            if (r == null) {
                segs.add(null);
                areas.add(null);
                boxes.add(null);
                continue;
            }
            if (gtAsUncompressedRle) {
                long[] counts = CocoRle.counts(mask(r));
                segs.add(List.of(Map.of("size", List.of(height, width), "counts", Arrays.stream(counts).boxed().toList())));
            } else {
                segs.add(List.of(List.of(r.x0, r.y0, r.x1, r.y0, r.x1, r.y1, r.x0, r.y1)));
            }
            areas.add(CocoRle.area(CocoRle.counts(mask(r))));
            boxes.add(List.of(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0));
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("video_id", videoId);
        a.put("category_id", category);
        a.put("iscrowd", 0);
        a.put("height", height);
        a.put("width", width);
        a.put("segmentations", segs);
        a.put("bboxes", boxes);
        a.put("areas", areas);
        annotations.add(a);
        return this;
    }

    /** A prediction: per frame a rectangle, {@link #EMPTY} for an empty RLE, or null. */
    AvisCase pred(int videoId, int category, double score, Rect... perFrame) {
        List<Object> segs = new ArrayList<>();
        for (Rect r : perFrame) {
            segs.add(r == null ? null : Map.of("size", List.of(height, width), "counts", CocoRle.encode(mask(r))));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("video_id", videoId);
        p.put("score", score);
        p.put("category_id", category);
        p.put("segmentations", segs);
        results.add(p);
        return this;
    }

    /** The rectangle clipped to the frame, as a row-major mask. */
    BinaryMask mask(Rect r) {
        byte[] data = new byte[height * width];
        for (int y = Math.max(0, r.y0); y < Math.min(height, r.y1); y++) {
            for (int x = Math.max(0, r.x0); x < Math.min(width, r.x1); x++) {
                data[y * width + x] = 1;
            }
        }
        return new BinaryMask(width, height, data);
    }

    Map<String, Object> gtJson() {
        Map<String, Object> gt = new LinkedHashMap<>();
        gt.put("videos", videos);
        gt.put("annotations", annotations);
        gt.put("categories", categories);
        return gt;
    }

    List<Map<String, Object>> resultsJson() {
        return results;
    }

    /** Writes GT.json and results.json under dir and runs {@code evaluate --out}. */
    Run run(Path dir) {
        try {
            Path gt = dir.resolve("gt.json");
            Path res = dir.resolve("results.json");
            Path out = dir.resolve("metrics.json");
            JSON.writeValue(gt.toFile(), gtJson());
            JSON.writeValue(res.toFile(), resultsJson());
            return Run.of("--gt", gt.toString(), "--results", res.toString(), "--out", out.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One run of the command's logic: exit code, stdout, error lines, and the --out object if written. */
    record Run(int exitCode, String stdout, List<String> errors, JsonNode metrics) {
        static Run of(String... args) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<String> errors = new ArrayList<>();
            int code = EvaluateRun.run(EvaluateOptions.parse(args), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    errors::add);
            JsonNode metrics = null;
            List<String> list = Arrays.asList(args);
            int at = list.indexOf("--out");
            try {
                if (code == 0 && at >= 0 && Files.exists(Path.of(args[at + 1]))) {
                    metrics = JSON.readTree(Path.of(args[at + 1]).toFile());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new Run(code, bytes.toString(StandardCharsets.UTF_8), errors, metrics);
        }

        /** A metric as printed: a number, or NaN for the string "NaN". */
        double get(String key) {
            JsonNode v = metrics.get(key);
            return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
        }
    }
}
