package io.avisstream.avis.score;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import io.avisstream.avis.tracking.SoundingRule;

/**
 * Options of {@code predict}. A usage error throws {@link IllegalArgumentException} with the reason.
 *
 * @param model an exported model directory ({@code engines/CONTRACT.md})
 * @param split the split's GT file (AVISeg JSON: videos, annotations, categories)
 * @param media the split's folder: {@code JPEGImages/}, {@code WAVAudios/} (offline) and {@code MP4/} (live)
 * @param mode offline-exact (the whole clip, official procedure) or live (the service's topology)
 * @param window W, frames the video stage sees (live); empty = the model's manifest
 * @param lookahead L, frames of look-ahead (live); 0 = emit as soon as the frame is inferred
 * @param out output folder
 * @param limit at most this many videos of the split (in file order), 0 = all
 * @param threads ONNX Runtime intra-op threads
 * @param duplicateIou live mode's output hygiene ({@code avis.tracking.duplicate-iou}); empty = the service default,
 *        1 keeps duplicates (measures what the hygiene changes)
 * @param soundingRule how instances are flagged sounding ({@code avis.tracking.sounding-rule} and
 *        {@code heard-threshold}), in both modes
 */
public record PredictOptions(Path model, Path split, Path media, Mode mode, Optional<Integer> window, int lookahead,
        Path out, int limit, int threads, Optional<Double> duplicateIou, SoundingRule soundingRule) {

    public enum Mode {
        OFFLINE, LIVE
    }

    public static final String USAGE = "predict --model DIR --split GT.json --media DIR --mode offline|live"
            + " [--window 6] [--lookahead 0] [--duplicate-iou 0.8] [--sounding-rule heard|count] [--heard-threshold 0.5]"
            + " --out DIR [--limit N] [--threads 2]";

    public PredictOptions {
        if (window.filter(w -> w < 1).isPresent()) {
            throw new IllegalArgumentException("--window must be >= 1");
        }
        if (lookahead < 0) {
            throw new IllegalArgumentException("--lookahead must be >= 0");
        }
        if (window.isPresent() && lookahead >= window.get()) {
            throw new IllegalArgumentException("--lookahead must be smaller than --window");
        }
        if (mode == Mode.OFFLINE && (window.isPresent() || lookahead > 0 || duplicateIou.isPresent())) {
            throw new IllegalArgumentException(
                    "--window, --lookahead and --duplicate-iou are live-mode options (offline sees the whole clip)");
        }
        if (duplicateIou.filter(d -> !(d > 0 && d <= 1)).isPresent()) {
            throw new IllegalArgumentException("--duplicate-iou must be in (0, 1]");
        }
        if (soundingRule == null) {
            throw new IllegalArgumentException("--sounding-rule must be heard or count");
        }
        if (limit < 0 || threads < 1) {
            throw new IllegalArgumentException("--limit must be >= 0 and --threads >= 1");
        }
    }

    public static PredictOptions parse(String... args) {
        Path model = null;
        Path split = null;
        Path media = null;
        Mode mode = null;
        Optional<Integer> window = Optional.empty();
        int lookahead = 0;
        Path out = null;
        int limit = 0;
        int threads = 2;
        Optional<Double> duplicateIou = Optional.empty();
        SoundingRule.Kind rule = SoundingRule.DEFAULT.kind();
        double heardThreshold = SoundingRule.DEFAULT_HEARD_THRESHOLD;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--model" -> model = Path.of(value(args, ++i, a));
                case "--split" -> split = Path.of(value(args, ++i, a));
                case "--media" -> media = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--mode" -> mode = switch (value(args, ++i, a).toLowerCase(Locale.ROOT)) {
                    case "offline" -> Mode.OFFLINE;
                    case "live" -> Mode.LIVE;
                    default -> throw new IllegalArgumentException("--mode must be offline or live; usage: " + USAGE);
                };
                case "--window" -> window = Optional.of(integer(value(args, ++i, a), a));
                case "--lookahead" -> lookahead = integer(value(args, ++i, a), a);
                case "--limit" -> limit = integer(value(args, ++i, a), a);
                case "--threads" -> threads = integer(value(args, ++i, a), a);
                case "--duplicate-iou" -> duplicateIou = Optional.of(decimal(value(args, ++i, a), a));
                case "--sounding-rule" -> rule = switch (value(args, ++i, a).toLowerCase(Locale.ROOT)) {
                    case "heard" -> SoundingRule.Kind.HEARD;
                    case "count" -> SoundingRule.Kind.COUNT;
                    default -> throw new IllegalArgumentException("--sounding-rule must be heard or count; usage: " + USAGE);
                };
                case "--heard-threshold" -> heardThreshold = decimal(value(args, ++i, a), a);
                default -> throw new IllegalArgumentException("unknown option " + a + "; usage: " + USAGE);
            }
        }
        if (model == null || split == null || media == null || mode == null || out == null) {
            throw new IllegalArgumentException("--model, --split, --media, --mode and --out are required; usage: " + USAGE);
        }
        if (!(heardThreshold >= 0 && heardThreshold <= 1)) {
            throw new IllegalArgumentException("--heard-threshold must be in [0, 1]");
        }
        return new PredictOptions(model, split, media, mode, window, lookahead, out, limit, threads, duplicateIou,
                new SoundingRule(rule, heardThreshold));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value; usage: " + USAGE);
        }
        return args[i];
    }

    private static double decimal(String text, String flag) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got " + text);
        }
    }

    private static int integer(String text, String flag) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got " + text);
        }
    }
}
