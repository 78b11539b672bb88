package io.avisstream.avis.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code evaluate-bench}: times {@code evaluate} on a synthetic AVISeg-test-sized set (default 100 videos of
 * 60 frames at 720p, 20 GT tracks and 20 predictions each). GT objects are octagons moving linearly and
 * sounding on ~80% of the frames; each prediction is its object jittered by a few pixels, written the way the
 * official model writes results (an RLE on every frame, the empty 720p mask where the object is absent).
 */
public final class EvaluateBench {
    private static final int HEIGHT = 720;
    private static final int WIDTH = 1280;

    private EvaluateBench() {
    }

    public record Options(int videos, int frames, int tracks, long seed, Path dir, int repeats) {
        static Options parse(String... args) {
            int videos = 100;
            int frames = 60;
            int tracks = 20;
            long seed = 1;
            int repeats = 3;
            Path dir = null;
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String v = args[++i];
                switch (args[i - 1]) {
                    case "--videos" -> videos = positive(v, "--videos");
                    case "--frames" -> frames = positive(v, "--frames");
                    case "--tracks" -> tracks = positive(v, "--tracks");
                    case "--repeats" -> repeats = positive(v, "--repeats");
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--dir" -> dir = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i - 1]
                            + "'; usage: evaluate-bench [--videos 100] [--frames 60] [--tracks 20] [--repeats 3] [--seed 1] [--dir DIR]");
                }
            }
            return new Options(videos, frames, tracks, seed, dir, repeats);
        }

        private static int positive(String v, String name) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a positive integer, got '" + v + "'");
        }
    }

    public static int run(Options o, PrintStream out) throws IOException {
        Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("avis-eval-bench");
        Path gtFile = dir.resolve("GT.json");
        Path resultsFile = dir.resolve("RESULTS.json");
        long t0 = System.nanoTime();
        writeSet(o, gtFile, resultsFile);
        out.printf("synthetic set: %d videos x %d frames at %dx%d, %d GT tracks + %d predictions per video -> %s"
                + " (GT %.1f MB, results %.1f MB, generated in %.1f s)%n", o.videos(), o.frames(), HEIGHT, WIDTH,
                o.tracks(), o.tracks(), dir, Files.size(gtFile) / 1e6, Files.size(resultsFile) / 1e6,
                (System.nanoTime() - t0) / 1e9);
        Metrics last = null;
        for (int r = 1; r <= o.repeats(); r++) {
            long cpu = processCpuNanos();
            long a = System.nanoTime();
            GroundTruth gt = GroundTruthReader.read(gtFile.toString(), InputFiles.json(gtFile));
            List<Prediction> predictions = ResultsReader.read(resultsFile.toString(), InputFiles.json(resultsFile), gt);
            long b = System.nanoTime();
            List<Sequence> sequences = Evaluator.sequences(gt, predictions, resultsFile.toString());
            long c = System.nanoTime();
            TrackMap.Result map = TrackMap.evaluate(gt.categories(), sequences);
            long d = System.nanoTime();
            Hota.Result hota = Hota.evaluate(gt.categories(), sequences);
            long e = System.nanoTime();
            Fsla.Result fsla = Fsla.evaluate(sequences);
            long f = System.nanoTime();
            last = Metrics.of(map, hota.average(), fsla);
            out.printf("run %d: wall %.2f s (read+decode %.2f, frame IoUs %.2f, mAP %.2f, HOTA %.2f, FSLA %.2f), process CPU"
                    + " %.2f s on %d cores%n", r, (f - a) / 1e9, (b - a) / 1e9, (c - b) / 1e9, (d - c) / 1e9, (e - d) / 1e9,
                    (f - e) / 1e9, (processCpuNanos() - cpu) / 1e9, Runtime.getRuntime().availableProcessors());
        }
        out.printf("metrics: AP_all=%s HOTA=%s FA=%s%n", last.apAll(), last.hota(), last.fa());
        if (o.dir() == null) {
            Files.delete(gtFile);
            Files.delete(resultsFile);
            Files.delete(dir);
        }
        return 0;
    }

    private static void writeSet(Options o, Path gtFile, Path resultsFile) {
        Random random = new Random(o.seed());
        List<Map<String, Object>> videos = new ArrayList<>();
        List<Map<String, Object>> annotations = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> categories = new ArrayList<>();
        for (int c = 1; c <= 26; c++) {
            categories.add(Map.of("id", c, "name", "class" + c));
        }
        String empty = Rle.empty(HEIGHT, WIDTH).encoded();
        int annId = 1;
        for (int v = 1; v <= o.videos(); v++) {
            String name = String.format("video%04d", v);
            List<String> files = new ArrayList<>();
            for (int f = 0; f < o.frames(); f++) {
                files.add(name + "/" + f + ".jpg");
            }
            videos.add(Map.of("id", v, "file_names", files, "height", HEIGHT, "width", WIDTH, "length", o.frames()));
            for (int k = 0; k < o.tracks(); k++) {
                int category = 1 + random.nextInt(26);
                double w = 40 + random.nextInt(260);
                double h = 40 + random.nextInt(260);
                double x = random.nextDouble() * (WIDTH - w);
                double y = random.nextDouble() * (HEIGHT - h);
                double vx = random.nextGaussian() * 4;
                double vy = random.nextGaussian() * 2;
                List<Object> segs = new ArrayList<>();
                List<Object> areas = new ArrayList<>();
                List<Object> preds = new ArrayList<>();
                for (int f = 0; f < o.frames(); f++) {
                    double fx = clamp(x + vx * f, 0, WIDTH - w);
                    double fy = clamp(y + vy * f, 0, HEIGHT - h);
                    if (random.nextDouble() < 0.8) {
                        double[] poly = tenths(octagon(fx, fy, w, h));
                        segs.add(List.of(Arrays.stream(poly).boxed().toList()));
                        areas.add(Polygons.rasterize(poly, HEIGHT, WIDTH).area());
                        double j = 6;
                        double[] jittered = octagon(fx + random.nextGaussian() * j, fy + random.nextGaussian() * j,
                                w + random.nextGaussian() * j, h + random.nextGaussian() * j);
                        preds.add(rleJson(Polygons.rasterize(jittered, HEIGHT, WIDTH).encoded()));
                    } else {
                        segs.add(null);
                        areas.add(null);
                        preds.add(rleJson(empty));
                    }
                }
                Map<String, Object> ann = new LinkedHashMap<>();
                ann.put("id", annId++);
                ann.put("video_id", v);
                ann.put("category_id", category);
                ann.put("iscrowd", 0);
                ann.put("height", HEIGHT);
                ann.put("width", WIDTH);
                ann.put("segmentations", segs);
                ann.put("areas", areas);
                annotations.add(ann);
                Map<String, Object> pred = new LinkedHashMap<>();
                pred.put("video_id", v);
                pred.put("score", random.nextDouble());
                pred.put("category_id", random.nextDouble() < 0.9 ? category : 1 + random.nextInt(26));
                pred.put("segmentations", preds);
                results.add(pred);
            }
        }
        Map<String, Object> gt = new LinkedHashMap<>();
        gt.put("videos", videos);
        gt.put("annotations", annotations);
        gt.put("categories", categories);
        try {
            InputFiles.JSON.writeValue(gtFile.toFile(), gt);
            InputFiles.JSON.writeValue(resultsFile.toFile(), results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, Object> rleJson(String counts) {
        return Map.of("size", List.of(HEIGHT, WIDTH), "counts", counts);
    }

    /** An axis-aligned octagon inscribed in the box (corners cut by a quarter of the side). */
    private static double[] octagon(double x, double y, double w, double h) {
        double cx = w / 4;
        double cy = h / 4;
        return new double[] { x + cx, y, x + w - cx, y, x + w, y + cy, x + w, y + h - cy, x + w - cx, y + h, x + cx,
                y + h, x, y + h - cy, x, y + cy };
    }

    /** Coordinates rounded to 0.1 px, as they are written to the GT file. */
    private static double[] tenths(double[] a) {
        return Arrays.stream(a).map(v -> Math.round(v * 10) / 10.0).toArray();
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
