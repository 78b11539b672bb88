package io.avisstream.avis.score;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.jboss.logging.Logger;

import io.avisstream.avis.engine.AcvisEngine;
import io.avisstream.avis.engine.EngineFactory;
import io.avisstream.avis.engine.EngineSettings;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.ResourceLedger;
import io.avisstream.avis.engine.SoundingCount;
import io.avisstream.avis.ingest.ModelPatches;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.message.RleMask;
import io.avisstream.avis.topology.TopologySettings;
import io.avisstream.avis.tracking.SoundingRule;

/**
 * {@code predict}: the Java engine over every video of an AVISeg-format split.
 *
 * <ul>
 * <li>offline-exact ({@code streaming-design.md} §3): the split's JPEG frames (1 fps, the annotated ones) and each
 * frame's audio window from the video's WAV (else its mp4) through the service's audio path ({@link ModelPatches}),
 * the per-frame stage, then {@link AcvisEngine#decodeClip} over the whole clip. Writes {@code results.json} (official
 * results format), {@code counts.json} (the count head's most probable count per frame, for {@code evaluate
 * --counts}) and {@code masks.jsonl} (per frame, the clip's instances present there with the service's sounding
 * flag, for the hearing metrics);
 * <li>live: each video's mp4 through the service's topology ({@link LiveTopology}), writing the masks records to
 * {@code masks.jsonl} (for {@code evaluate --masks}).
 * </ul>
 */
public final class Predict {
    private static final Logger LOG = Logger.getLogger(Predict.class);

    private Predict() {
    }

    /** What ran, for the console. */
    public record Summary(PredictOptions.Mode mode, int videos, int frames, int instances, long millis, List<Path> files) {
        public String describe() {
            return String.format(Locale.ROOT, "predict %s: %d videos, %d inferred frames, %d instances in %.1f s -> %s",
                    mode.name().toLowerCase(Locale.ROOT), videos, frames, instances, millis / 1000.0, files);
        }
    }

    public static Summary run(PredictOptions options) throws IOException {
        List<SplitVideo> videos = SplitVideo.read(options.split());
        if (options.limit() > 0 && videos.size() > options.limit()) {
            videos = videos.subList(0, options.limit());
        }
        EngineSettings settings = EngineSettings.defaults(options.model()).withThreads(options.threads())
                .withWarmUp(false);
        if (options.window().isPresent()) {
            settings = new EngineSettings(settings.kind(), settings.modelDir(), settings.intraOpThreads(),
                    settings.optimizationLevel(), settings.arena(), settings.fp16(), settings.tensorrtCacheDir(),
                    settings.deviceId(), settings.fallbackKind(), settings.batchMaxSize(), settings.batchMaxWait(),
                    settings.scoreThreshold(), settings.topK(), options.window(), settings.warmUp());
        }
        Files.createDirectories(options.out());
        long t0 = System.nanoTime();
        try (AcvisEngine engine = EngineFactory.create(settings, new ResourceLedger())) {
            Summary s = options.mode() == PredictOptions.Mode.OFFLINE ? offline(engine, videos, options)
                    : live(engine, videos, options);
            return new Summary(s.mode(), s.videos(), s.frames(), s.instances(), (System.nanoTime() - t0) / 1_000_000,
                    s.files());
        }
    }

    // ---------------------------------------------------------------- offline-exact

    static Summary offline(AcvisEngine engine, List<SplitVideo> videos, PredictOptions options) throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        Path masksFile = options.out().resolve("masks.jsonl");
        int frames = 0;
        try (OutputStream masksOut = Files.newOutputStream(masksFile)) {
            for (SplitVideo video : videos) {
                ModelPatches audio = ModelPatches.read(audioFile(options.media(), video.name()));
                List<FrameFeatures> clip = new ArrayList<>();
                for (int t = 0; t < video.length(); t++) {
                    VideoFrame frame = readJpeg(options.media().resolve("JPEGImages").resolve(video.fileNames().get(t)));
                    long pts = t * 1_000_000L;
                    clip.add(engine.encodeFrames(List.of(new FrameRequest(video.name(), t, pts, frame,
                            audio.window(pts)))).get(0));
                }
                List<AcvisEngine.ClipDetection> kept = engine.decodeClip(clip);
                kept = new ArrayList<>(kept);
                kept.sort(Comparator.comparingDouble((AcvisEngine.ClipDetection d) -> -d.score()));
                for (AcvisEngine.ClipDetection d : kept) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("video_id", video.id());
                    entry.put("score", d.score());
                    entry.put("category_id", d.classId() + 1);
                    List<Object> segs = new ArrayList<>();
                    for (BinaryMask m : d.masks()) {
                        segs.add(Map.of("size", List.of(m.height(), m.width()), "counts", CocoRle.encode(m)));
                    }
                    entry.put("segmentations", segs);
                    results.add(entry);
                }
                List<Integer> videoCounts = new ArrayList<>();
                for (int t = 0; t < clip.size(); t++) {
                    float[] logits = clip.get(t).countLogits();
                    MasksMessage record = frameRecord(engine, video, t, kept, logits, options.soundingRule());
                    // without a count head (AVISM) every instance in the frame sounds: that is its predicted count
                    videoCounts.add(logits.length == 0 ? record.instances().size() : SoundingCount.mostLikely(logits));
                    masksOut.write(MessageCodec.MASKS.encode(record));
                    masksOut.write('\n');
                }
                counts.put(video.name(), videoCounts);
                frames += clip.size();
                LOG.infof("predict offline video=%s frames=%d kept=%d", video.name(), clip.size(), kept.size());
            }
        }
        Path resultsFile = options.out().resolve("results.json");
        Path countsFile = options.out().resolve("counts.json");
        Json.MAPPER.writeValue(resultsFile.toFile(), results);
        Json.MAPPER.writeValue(countsFile.toFile(), counts);
        return new Summary(PredictOptions.Mode.OFFLINE, videos.size(), frames, results.size(), 0,
                List.of(resultsFile, countsFile, masksFile));
    }

    /** The service's default topology settings, with {@code --duplicate-iou} when given and the sounding rule. */
    static TopologySettings liveSettings(PredictOptions options) {
        TopologySettings defaults = TopologySettings.defaults();
        TopologySettings settings = options.duplicateIou().map(defaults::withDuplicateIou).orElse(defaults);
        return settings.withSoundingRule(options.soundingRule());
    }

    /**
     * Frame {@code t} of an offline clip as a masks record: the clip's kept instances whose mask is non-empty there
     * (track id = rank + 1), sounding as the service flags it ({@code rule}; README, "Sounding flag").
     */
    static MasksMessage frameRecord(AcvisEngine engine, SplitVideo video, int t, List<AcvisEngine.ClipDetection> kept,
            float[] countLogits, SoundingRule rule) {
        List<Integer> present = new ArrayList<>();
        List<int[]> boxes = new ArrayList<>();
        int height = video.height();
        int width = video.width();
        for (int i = 0; i < kept.size(); i++) {
            BinaryMask mask = kept.get(i).masks().get(t);
            height = mask.height();
            width = mask.width();
            int[] box = CocoRle.bbox(mask);
            if (box[2] > 0 && box[3] > 0) {
                present.add(i);
                boxes.add(box);
            }
        }
        float[] heard = new float[present.size()];
        for (int j = 0; j < heard.length; j++) {
            heard[j] = kept.get(present.get(j)).heard()[t];
        }
        boolean[] flags = rule.flags(heard, countLogits.length == 0 ? null : SoundingCount.probabilities(countLogits));
        List<InstanceMessage> instances = new ArrayList<>();
        for (int j = 0; j < present.size(); j++) {
            int i = present.get(j);
            AcvisEngine.ClipDetection d = kept.get(i);
            BinaryMask mask = d.masks().get(t);
            int[] box = boxes.get(j);
            instances.add(new InstanceMessage(i + 1, d.classId(), engine.info().className(d.classId()),
                    Math.max(0f, Math.min(1f, d.score())), flags[j], List.of(box[0], box[1], box[2], box[3]),
                    RleMask.of(mask.height(), mask.width(), CocoRle.encode(mask))));
        }
        return new MasksMessage(video.name(), t, t * 1_000_000L, width, height, "complete", true, t,
                engine.info().name(), instances);
    }

    // ---------------------------------------------------------------- live

    static Summary live(AcvisEngine engine, List<SplitVideo> videos, PredictOptions options) throws IOException {
        Path masksFile = options.out().resolve("masks.jsonl");
        int frames = 0;
        int instances = 0;
        try (OutputStream out = Files.newOutputStream(masksFile);
                LiveTopology topology = new LiveTopology(engine, options.lookahead(), liveSettings(options))) {
            for (SplitVideo video : videos) {
                Path mp4 = mp4File(options.media(), video.name());
                List<MasksMessage> records = topology.run(video.name(), mp4, video.width(), video.height());
                for (MasksMessage r : records) {
                    out.write(MessageCodec.MASKS.encode(r));
                    out.write('\n');
                    if (r.inferred()) {
                        frames++;
                        instances += r.instances().size();
                    }
                }
                LOG.infof("predict live video=%s records=%d", video.name(), records.size());
            }
        }
        return new Summary(PredictOptions.Mode.LIVE, videos.size(), frames, instances, 0, List.of(masksFile));
    }

    // ---------------------------------------------------------------- files

    static Path audioFile(Path media, String video) {
        for (Path p : List.of(media.resolve("WAVAudios").resolve(video + ".wav"), media.resolve("MP4").resolve(video + ".mp4"),
                media.resolve(video + ".mp4"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no audio for video " + video + " under " + media
                + " (WAVAudios/" + video + ".wav or MP4/" + video + ".mp4)");
    }

    static Path mp4File(Path media, String video) {
        Optional<Path> found = List.of(media.resolve("MP4").resolve(video + ".mp4"), media.resolve(video + ".mp4"))
                .stream().filter(Files::isRegularFile).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException("no mp4 for video " + video + " under " + media
                + " (MP4/" + video + ".mp4)"));
    }

    static VideoFrame readJpeg(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("not an image: " + file);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                rgb[p] = (byte) (row[x] >> 16);
                rgb[p + 1] = (byte) (row[x] >> 8);
                rgb[p + 2] = (byte) row[x];
            }
        }
        return new VideoFrame(w, h, rgb);
    }
}
