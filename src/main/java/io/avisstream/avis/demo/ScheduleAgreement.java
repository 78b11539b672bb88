package io.avisstream.avis.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.MasksMessage;

/**
 * How the service's sounding flags agree with a clip's schedule (the benchmark generator's side file: who sounds
 * when, every object's box per frame). Per inferred masks record at second t = round(pts): the published instances
 * are matched one-to-one to the schedule objects visible there by box IoU (greedy, best pair first, IoU >=
 * {@value #MIN_IOU}); a sounding instance is a true positive when its object sounds at t, a false positive otherwise
 * (also when it matches no object); a sounding object without a sounding instance is a false negative. The frame
 * agrees when it has neither. Pure: no I/O beyond {@link #read}.
 *
 * @param frames inferred records scored (records outside the schedule's length are left out)
 * @param agreeing frames whose set of sounding objects equals the schedule's
 */
public record ScheduleAgreement(int frames, int agreeing, int truePositives, int falsePositives, int falseNegatives) {
    /** The benchmark's threshold for "this prediction is that object" (acvis.evaluation FLAG_IOU). */
    static final double MIN_IOU = 0.3;
    /** The bundled clip's schedule. */
    static final String BUNDLED_SCHEDULE = "demo/avis-demo.schedule.json";

    /** One object of the schedule: sounding per second, box per second in the schedule's frame size. */
    public record ScheduledObject(int objectId, String category, boolean[] sounding, int[][] boxes) {
    }

    /**
     * A schedule: objects, the frame size their boxes are in, and (optionally) boxes per mp4 frame.
     *
     * @param mp4Boxes per object, per mp4 frame, [x, y, w, h] in {@code mp4Width x mp4Height} (null entries: not
     *        visible); empty when the schedule has none
     */
    public record Schedule(int lengthSeconds, int width, int height, List<ScheduledObject> objects, double mp4Fps,
            int mp4Width, int mp4Height, List<int[][]> mp4Boxes) {
    }

    public double precision() {
        return truePositives + falsePositives == 0 ? Double.NaN : truePositives / (double) (truePositives + falsePositives);
    }

    public double recall() {
        return truePositives + falseNegatives == 0 ? Double.NaN : truePositives / (double) (truePositives + falseNegatives);
    }

    public double agreementPercent() {
        return frames == 0 ? Double.NaN : 100.0 * agreeing / frames;
    }

    /** One line for the demo summary. */
    public String describe() {
        return String.format(Locale.ROOT, "sounding vs schedule: precision %s (%d/%d), recall %s (%d/%d); same"
                + " sounding objects on %d/%d inferred frames (%s)", fmt(precision()), truePositives,
                truePositives + falsePositives, fmt(recall()), truePositives, truePositives + falseNegatives, agreeing,
                frames, frames == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f %%", agreementPercent()));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Scores the inferred records of {@code masks} against {@code schedule}. */
    public static ScheduleAgreement of(Schedule schedule, List<MasksMessage> masks) {
        int frames = 0;
        int agreeing = 0;
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (MasksMessage record : masks) {
            if (!record.inferred()) {
                continue;
            }
            int t = (int) Math.round(record.ptsMicros() / 1e6);
            if (t < 0 || t >= schedule.lengthSeconds()) {
                continue;
            }
            List<int[]> boxes = objectBoxes(schedule, record);
            List<InstanceMessage> instances = record.instances();
            int[] matchOf = match(instances, boxes);
            int frameFp = 0;
            int frameTp = 0;
            boolean[] flagged = new boolean[boxes.size()];
            for (int i = 0; i < instances.size(); i++) {
                if (!instances.get(i).sounding()) {
                    continue;
                }
                int o = matchOf[i];
                if (o >= 0 && schedule.objects().get(o).sounding()[t]) {
                    flagged[o] = true;
                    frameTp++;
                } else {
                    frameFp++;
                }
            }
            int frameFn = 0;
            for (int o = 0; o < boxes.size(); o++) {
                if (schedule.objects().get(o).sounding()[t] && !flagged[o]) {
                    frameFn++;
                }
            }
            frames++;
            tp += frameTp;
            fp += frameFp;
            fn += frameFn;
            if (frameFp == 0 && frameFn == 0) {
                agreeing++;
            }
        }
        return new ScheduleAgreement(frames, agreeing, tp, fp, fn);
    }

    /** Each object's box on the record's frame, in the record's pixels (null: not visible there). */
    static List<int[]> objectBoxes(Schedule schedule, MasksMessage record) {
        List<int[]> out = new ArrayList<>();
        int t = (int) Math.round(record.ptsMicros() / 1e6);
        boolean perMp4Frame = !schedule.mp4Boxes().isEmpty();
        int frame = perMp4Frame ? (int) Math.round(record.ptsMicros() * schedule.mp4Fps() / 1e6) : t;
        double sx = record.width() / (double) (perMp4Frame ? schedule.mp4Width() : schedule.width());
        double sy = record.height() / (double) (perMp4Frame ? schedule.mp4Height() : schedule.height());
        for (int o = 0; o < schedule.objects().size(); o++) {
            int[][] boxes = perMp4Frame ? schedule.mp4Boxes().get(o) : schedule.objects().get(o).boxes();
            int[] b = frame >= 0 && frame < boxes.length ? boxes[frame] : null;
            out.add(b == null || b[2] <= 0 || b[3] <= 0 ? null
                    : new int[] {(int) Math.round(b[0] * sx), (int) Math.round(b[1] * sy), (int) Math.round(b[2] * sx),
                            (int) Math.round(b[3] * sy)});
        }
        return out;
    }

    /** Instance index -> object index (-1: none), one-to-one, greedy on box IoU, best pair first. */
    static int[] match(List<InstanceMessage> instances, List<int[]> boxes) {
        int[] matchOf = new int[instances.size()];
        Arrays.fill(matchOf, -1);
        boolean[] taken = new boolean[boxes.size()];
        while (true) {
            double best = MIN_IOU;
            int bi = -1;
            int bo = -1;
            for (int i = 0; i < instances.size(); i++) {
                if (matchOf[i] >= 0) {
                    continue;
                }
                List<Integer> box = instances.get(i).bbox();
                int[] a = {box.get(0), box.get(1), box.get(2), box.get(3)};
                for (int o = 0; o < boxes.size(); o++) {
                    if (taken[o] || boxes.get(o) == null) {
                        continue;
                    }
                    double iou = iou(a, boxes.get(o));
                    if (iou >= best && (bi < 0 || iou > best)) {
                        best = iou;
                        bi = i;
                        bo = o;
                    }
                }
            }
            if (bi < 0) {
                return matchOf;
            }
            matchOf[bi] = bo;
            taken[bo] = true;
        }
    }

    static double iou(int[] a, int[] b) {
        long ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
        long iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
        long inter = ix * iy;
        long union = (long) a[2] * a[3] + (long) b[2] * b[3] - inter;
        return union <= 0 ? 0 : inter / (double) union;
    }

    // ---------------------------------------------------------------- reading

    /** Parses a schedule file ({@code python3 -m acvis.data.avbench}: {@code schedules/<video>.json}). */
    public static Schedule read(JsonNode root) {
        int length = root.path("length_s").asInt(-1);
        if (length < 0 || !root.path("objects").isArray()) {
            throw new IllegalArgumentException("not a schedule: expected length_s and objects");
        }
        List<ScheduledObject> objects = new ArrayList<>();
        for (JsonNode o : root.get("objects")) {
            boolean[] sounding = new boolean[length];
            JsonNode s = o.path("sounding");
            for (int t = 0; t < length && t < s.size(); t++) {
                sounding[t] = s.get(t).asInt() != 0;
            }
            objects.add(new ScheduledObject(o.path("object_id").asInt(), o.path("category").asText(), sounding,
                    boxes(o.path("boxes"))));
        }
        JsonNode mp4 = root.path("mp4");
        List<int[][]> mp4Boxes = new ArrayList<>();
        if (mp4.path("boxes").isArray() && mp4.path("boxes").size() == objects.size()) {
            mp4.get("boxes").forEach(b -> mp4Boxes.add(boxes(b)));
        }
        return new Schedule(length, root.path("width").asInt(), root.path("height").asInt(), objects,
                mp4.path("fps").asDouble(1), mp4.path("width").asInt(), mp4.path("height").asInt(), mp4Boxes);
    }

    private static int[][] boxes(JsonNode list) {
        int[][] out = new int[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            out[i] = b == null || !b.isArray() || b.size() != 4 ? null
                    : new int[] {b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt()};
        }
        return out;
    }

    // ---------------------------------------------------------------- the demo's hook

    /** {@code --schedule FILE} of the demo's arguments, if given. */
    static Optional<Path> scheduleOption(String... args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--schedule")) {
                return Optional.of(Path.of(args[i + 1]));
            }
        }
        return Optional.empty();
    }

    /** The demo's arguments without {@code --schedule FILE}. */
    static String[] withoutScheduleOption(String... args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--schedule")) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("--schedule needs a file");
                }
                i++;
            } else {
                out.add(args[i]);
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * The demo's agreement row: against {@code schedule} when given, else the bundled clip's schedule when the
     * bundled clip played, else nothing.
     */
    static Optional<String> demoLine(Optional<Path> schedule, boolean bundled, List<MasksMessage> masks) {
        try {
            JsonNode root;
            if (schedule.isPresent()) {
                root = Json.MAPPER.readTree(Files.readAllBytes(schedule.get()));
            } else if (bundled) {
                try (InputStream in = ScheduleAgreement.class.getClassLoader().getResourceAsStream(BUNDLED_SCHEDULE)) {
                    if (in == null) {
                        return Optional.empty();
                    }
                    root = Json.MAPPER.readTree(in);
                }
            } else {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "  %-10s %s", "agreement", of(read(root), masks).describe()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of(String.format(Locale.ROOT, "  %-10s %s", "agreement",
                    "schedule unreadable (" + e.getMessage() + ")"));
        }
    }
}
