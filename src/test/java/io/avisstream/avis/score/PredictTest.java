package io.avisstream.avis.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.avisstream.avis.engine.FrameResizer;
import io.avisstream.avis.eval.EvaluateOptions;
import io.avisstream.avis.eval.EvaluateRun;
import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.MediaSample;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;

/**
 * {@code predict} with the committed model on the bundled demo clip (a held-out benchmark video, 10 s): a one-video
 * split built from the clip (its 1 fps frames as the split's JPEGs at 160x90, GT boxes from its schedule), run
 * offline-exact and live (L = 0 and 3), and the outputs read back by {@code evaluate}.
 */
class PredictTest {
    private static final String VIDEO = "avis-demo";
    private static final Path MODEL = Path.of("engines/models/tiny");

    @TempDir
    static Path dir;
    static Path split;
    static Path media;
    static JsonNode schedule;

    @BeforeAll
    static void split() throws Exception {
        media = dir.resolve("media");
        Path mp4 = media.resolve("MP4").resolve(VIDEO + ".mp4");
        Files.createDirectories(mp4.getParent());
        try (InputStream in = PredictTest.class.getClassLoader().getResourceAsStream("demo/avis-demo.mp4");
                InputStream s = PredictTest.class.getClassLoader().getResourceAsStream("demo/avis-demo.schedule.json")) {
            Files.copy(in, mp4);
            schedule = Json.MAPPER.readTree(s);
        }
        int width = schedule.get("width").asInt();
        int height = schedule.get("height").asInt();
        int length = schedule.get("length_s").asInt();
        // the split's JPEGs: the mp4 frame at each whole second, at the benchmark's size
        Path jpegs = media.resolve("JPEGImages").resolve(VIDEO);
        Files.createDirectories(jpegs);
        List<String> files = new ArrayList<>();
        try (MediaReader reader = MediaReader.open(mp4, 1600)) {
            for (Optional<MediaSample> n = reader.next(); n.isPresent() && files.size() < length; n = reader.next()) {
                if (n.get() instanceof DecodedFrame f && f.ptsMicros() + 20_000 >= files.size() * 1_000_000L) {
                    byte[] rgb = FrameResizer.resizeRgb(f.frame().rgb(), f.frame().width(), f.frame().height(), width,
                            height);
                    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
                            java.awt.image.BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < width * height; p++) {
                        image.setRGB(p % width, p / width, (rgb[3 * p] & 0xff) << 16 | (rgb[3 * p + 1] & 0xff) << 8
                                | (rgb[3 * p + 2] & 0xff));
                    }
                    String name = String.format("%05d.jpg", files.size());
                    ImageIO.write(image, "jpg", jpegs.resolve(name).toFile());
                    files.add(VIDEO + "/" + name);
                }
            }
        }
        // GT: the schedule's annotated objects, their boxes as polygons on the frames where they sound
        List<Map<String, Object>> annotations = new ArrayList<>();
        for (JsonNode o : schedule.get("objects")) {
            if (o.get("annotation_id").isNull()) {
                continue;
            }
            List<Object> segs = new ArrayList<>();
            for (int t = 0; t < length; t++) {
                JsonNode b = o.get("boxes").get(t);
                boolean on = o.get("annotated").get(t).asInt() == 1 && b != null && b.isArray();
                int x = on ? b.get(0).asInt() : 0;
                int y = on ? b.get(1).asInt() : 0;
                int w = on ? b.get(2).asInt() : 0;
                int h = on ? b.get(3).asInt() : 0;
                segs.add(on ? List.of(List.of(x, y, x + w, y, x + w, y + h, x, y + h)) : null);
            }
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", o.get("annotation_id").asInt());
            a.put("video_id", 1);
            a.put("category_id", o.get("category_id").asInt());
            a.put("iscrowd", 0);
            a.put("height", height);
            a.put("width", width);
            a.put("length", length);
            a.put("segmentations", segs);
            annotations.add(a);
        }
        List<Map<String, Object>> categories = new ArrayList<>();
        for (int c = 1; c <= 26; c++) {
            categories.add(Map.of("id", c, "name", "c" + c));
        }
        split = dir.resolve("demo.json");
        Json.MAPPER.writeValue(split.toFile(), Map.of("videos", List.of(Map.of("id", 1, "file_names", files, "height",
                height, "width", width, "length", length)), "annotations", annotations, "categories", categories));
    }

    private static PredictOptions options(String... args) {
        List<String> all = new ArrayList<>(List.of("--model", MODEL.toString(), "--split", split.toString(), "--media",
                media.toString(), "--threads", "2"));
        all.addAll(List.of(args));
        return PredictOptions.parse(all.toArray(String[]::new));
    }

    private static String evaluate(String... args) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<String> errors = new ArrayList<>();
        List<String> all = new ArrayList<>(List.of("--gt", split.toString()));
        all.addAll(List.of(args));
        int rc = EvaluateRun.run(EvaluateOptions.parse(all.toArray(String[]::new)),
                new PrintStream(text, true, StandardCharsets.UTF_8), errors::add);
        assertThat(errors).isEmpty();
        assertThat(rc).isZero();
        return text.toString(StandardCharsets.UTF_8);
    }

    private static List<MasksMessage> records(Path file) throws Exception {
        List<MasksMessage> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(MessageCodec.MASKS.decode(line.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void shouldWriteOfficialResultsOfTheWholeClipOffline() throws Exception {
        // When
        Path out = dir.resolve("offline");
        Predict.Summary summary = Predict.run(options("--mode", "offline", "--sounding-rule", "count", "--out",
                out.toString()));

        // Then: one entry per kept candidate, a mask on each of the 10 frames at the GT size
        int length = schedule.get("length_s").asInt();
        JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertThat(summary.frames()).isEqualTo(length);
        assertThat(results.size()).isEqualTo(summary.instances());
        for (JsonNode r : results) {
            assertThat(r.get("video_id").asInt()).isEqualTo(1);
            assertThat(r.get("score").asDouble()).isGreaterThan(0.3);
            assertThat(r.get("segmentations")).hasSize(length);
            assertThat(r.get("segmentations").get(0).get("size").toString()).isEqualTo("[90,160]");
        }
        assertThat(Json.MAPPER.readTree(out.resolve("counts.json").toFile()).get(VIDEO)).hasSize(length);
        // with the rule count, the per-frame records flag the count head's count (all instances on its last class)
        JsonNode counts = Json.MAPPER.readTree(out.resolve("counts.json").toFile()).get(VIDEO);
        int kmax = Json.MAPPER.readTree(MODEL.resolve("manifest.json").toFile()).get("kmax").asInt();
        List<MasksMessage> frames = records(out.resolve("masks.jsonl"));
        assertThat(frames).hasSize(length);
        for (MasksMessage f : frames) {
            long sounding = f.instances().stream().filter(i -> i.sounding()).count();
            int k = counts.get((int) f.seq()).asInt();
            // the count head's last class means "kmax or more": every instance
            assertThat(sounding).isEqualTo(k >= kmax ? f.instances().size() : Math.min(k, f.instances().size()));
        }
        // and evaluate reads them
        assertThat(evaluate("--results", out.resolve("results.json").toString(), "--counts",
                out.resolve("counts.json").toString())).contains("AP_all", "HOTA", "sound accuracy");
    }

    @Test
    void shouldFlagWhatTheFrameDecoderHearsAtTheHeardThresholdOffline() throws Exception {
        // When the default rule (heard) runs at the extreme thresholds: 0 hears every instance, so only the count
        // head's cap is left; 1 hears none (a softmax probability stays below 1)
        Path all = dir.resolve("heard0");
        Path none = dir.resolve("heard1");
        Predict.run(options("--mode", "offline", "--heard-threshold", "0", "--out", all.toString()));
        Predict.run(options("--mode", "offline", "--sounding-rule", "heard", "--heard-threshold", "1", "--out",
                none.toString()));

        // Then at 0 each frame flags as many as the count head says (its last class: all), at 1 nothing
        JsonNode counts = Json.MAPPER.readTree(all.resolve("counts.json").toFile()).get(VIDEO);
        int kmax = Json.MAPPER.readTree(MODEL.resolve("manifest.json").toFile()).get("kmax").asInt();
        List<MasksMessage> heardAll = records(all.resolve("masks.jsonl"));
        assertThat(heardAll).flatExtracting(MasksMessage::instances).isNotEmpty();
        for (MasksMessage f : heardAll) {
            long sounding = f.instances().stream().filter(InstanceMessage::sounding).count();
            int k = counts.get((int) f.seq()).asInt();
            assertThat(sounding).isEqualTo(k >= kmax ? f.instances().size() : Math.min(k, f.instances().size()));
        }
        assertThat(records(none.resolve("masks.jsonl"))).flatExtracting(MasksMessage::instances)
                .hasSameSizeAs(heardAll.stream().flatMap(m -> m.instances().stream()).toList())
                .allSatisfy(i -> assertThat(((InstanceMessage) i).sounding()).isFalse());
        assertThatIllegalArgumentException().isThrownBy(() -> options("--mode", "offline", "--sounding-rule", "loud",
                "--out", "x"));
    }

    @Test
    void shouldRunTheClipThroughTheTopologyLiveWithAndWithoutLookAhead() throws Exception {
        // When
        Path l0 = dir.resolve("live0");
        Path l3 = dir.resolve("live3");
        Predict.run(options("--mode", "live", "--out", l0.toString()));
        Predict.run(options("--mode", "live", "--lookahead", "3", "--out", l3.toString()));

        // Then: one inferred record per second, on the GT's frame size, with masks of that size
        int length = schedule.get("length_s").asInt();
        List<MasksMessage> live0 = records(l0.resolve("masks.jsonl"));
        List<MasksMessage> live3 = records(l3.resolve("masks.jsonl"));
        for (List<MasksMessage> live : List.of(live0, live3)) {
            assertThat(live).extracting(MasksMessage::inferred).containsOnly(true);
            assertThat(live).extracting(m -> Math.round(m.ptsMicros() / 1e6)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L,
                    6L, 7L, 8L, 9L);
            assertThat(live).allSatisfy(m -> assertThat(List.of(m.width(), m.height())).containsExactly(160, 90));
            assertThat(live).flatExtracting(MasksMessage::instances).allSatisfy(i -> assertThat(i.mask().size())
                    .containsExactly(90, 160));
        }
        assertThat(live0.stream().mapToInt(m -> m.instances().size()).sum()).isPositive();
        // the last frame is decoded from the same window (the clip's last W frames) with and without look-ahead,
        // so the realigned L=3 record carries the same detections as L=0's; earlier frames see later frames
        assertThat(scores(live3.get(length - 1))).isEqualTo(scores(live0.get(length - 1)));
        assertThat(live3.subList(0, length - 1)).extracting(PredictTest::scores)
                .isNotEqualTo(live0.subList(0, length - 1).stream().map(PredictTest::scores).toList());
        // and evaluate reads the records as the service's
        assertThat(evaluate("--masks", l0.resolve("masks.jsonl").toString())).contains("masks: 10 records, 0 skipped");
    }

    private static List<String> scores(MasksMessage m) {
        return m.instances().stream().map(i -> i.classId() + ":" + i.score() + ":" + i.bbox()).sorted().toList();
    }

    @Test
    void shouldRefuseInconsistentOptions() {
        assertThatThrownBy(() -> PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode",
                "offline", "--lookahead", "3", "--out", "o")).hasMessageContaining("live-mode");
        assertThatThrownBy(() -> PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode", "live",
                "--window", "3", "--lookahead", "3", "--out", "o")).hasMessageContaining("smaller than --window");
        assertThatThrownBy(() -> PredictOptions.parse("--model", "m", "--mode", "live")).hasMessageContaining(
                "required");
        assertThatThrownBy(() -> PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode",
                "offline", "--duplicate-iou", "1", "--out", "o")).hasMessageContaining("live-mode");
        assertThatThrownBy(() -> PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode", "live",
                "--duplicate-iou", "0", "--out", "o")).hasMessageContaining("(0, 1]");
    }

    @Test
    void shouldRunTheLiveTopologyWithTheGivenHygieneOrTheServiceDefault() {
        PredictOptions kept = PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode", "live",
                "--duplicate-iou", "1", "--out", "o");
        PredictOptions plain = PredictOptions.parse("--model", "m", "--split", "s", "--media", "d", "--mode", "live",
                "--out", "o");

        assertThat(Predict.liveSettings(kept).duplicateIou()).isEqualTo(1.0);
        assertThat(Predict.liveSettings(plain)).isEqualTo(io.avisstream.avis.topology.TopologySettings.defaults());
    }
}
