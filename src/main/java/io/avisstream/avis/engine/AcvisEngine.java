package io.avisstream.avis.engine;

import static io.avisstream.avis.engine.GraphContract.AUDIO;
import static io.avisstream.avis.engine.GraphContract.AUDIO_FEATURES;
import static io.avisstream.avis.engine.GraphContract.CLASS_LOGITS;
import static io.avisstream.avis.engine.GraphContract.COUNT_LOGITS;
import static io.avisstream.avis.engine.GraphContract.FRAME;
import static io.avisstream.avis.engine.GraphContract.FRAME_QUERIES;
import static io.avisstream.avis.engine.GraphContract.IMAGE;
import static io.avisstream.avis.engine.GraphContract.MASKS;
import static io.avisstream.avis.engine.GraphContract.MASK_EMBED;
import static io.avisstream.avis.engine.GraphContract.MASK_FEATURES;
import static io.avisstream.avis.engine.GraphContract.MASK_LOGITS;
import static io.avisstream.avis.engine.GraphContract.MEL;
import static io.avisstream.avis.engine.GraphContract.SIM_EMBED;
import static io.avisstream.avis.engine.GraphContract.VIDEO;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioCoverage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The ACVIS pipeline over the four contract graphs, on any {@link GraphBackend}: pre-processing (log-mel, PIL-exact
 * resize), the graphs, and post-processing (candidates, mask scores, masks at the original size, count decoding).
 * Callers deal in frames, PCM and detections; tensors never leave this class.
 *
 * <p>Thread-safe: the sessions are, and every call works on its own arrays.
 */
public final class AcvisEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(AcvisEngine.class);

    private final Map<String, GraphSession> sessions;
    private final GraphBackend backend;
    private final EngineInfo info;
    private final int countLogits;
    private final int simDim;
    private final FrameResizer resizer = FrameResizer.official();
    private final LogMelFrontEnd logMel = new LogMelFrontEnd();
    private final MaskDecoder maskDecoder;
    private final StageTimings encodeTimings = new StageTimings();
    private final StageTimings decodeTimings = new StageTimings();
    private volatile boolean closed;

    private AcvisEngine(Map<String, GraphSession> sessions, GraphBackend backend, EngineInfo info, int countLogits,
            int simDim, MaskDecoder maskDecoder) {
        this.sessions = sessions;
        this.backend = backend;
        this.info = info;
        this.countLogits = countLogits;
        this.simDim = simDim;
        this.maskDecoder = maskDecoder;
    }

    /**
     * Loads the four graphs of {@code settings.modelDir()} on {@code backend}, reads the model's dimensions with a
     * tiny probe call, and (when configured) warms every graph up at 640x360.
     */
    static AcvisEngine open(EngineSettings settings, GraphBackend backend, ShapeProfiles profiles) {
        Path dir = settings.modelDir();
        Map<String, GraphSession> sessions = new LinkedHashMap<>();
        try {
            StringBuilder hashes = new StringBuilder();
            for (String graph : GraphContract.GRAPHS) {
                Path file = dir.resolve(graph + ".onnx");
                if (!Files.isRegularFile(file)) {
                    throw new EngineException("model directory " + dir.toAbsolutePath() + " has no " + graph
                            + ".onnx (avis.engine.model-dir; export one with engines/acvis/export.py)");
                }
                hashes.append(TensorRtPlanCache.sha256Hex(file));
                sessions.put(graph, backend.open(graph, file, GraphContract.inputs(graph), GraphContract.outputs(graph),
                        profiles.of(graph)));
            }
            String modelId = TensorRtPlanCache.sha256Hex(hashes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 12);
            Dimensions dims = Dimensions.probe(sessions);
            EngineInfo info = new EngineInfo(settings.kind().id(), backend.executionProvider(), modelId, dims.queries,
                    dims.hidden, dims.audio, dims.classes, settings.windowFrames());
            AcvisEngine engine = new AcvisEngine(Map.copyOf(sessions), backend, info, dims.countLogits, dims.sim,
                    new MaskDecoder(settings.topK(), settings.scoreThreshold()));
            if (settings.warmUp()) {
                engine.warmUp();
            }
            return engine;
        } catch (RuntimeException e) {
            sessions.values().forEach(GraphSession::close);
            backend.close();
            throw e;
        }
    }

    /** Model dimensions read from the graphs' own outputs on a minimal input. */
    private record Dimensions(int audio, int queries, int hidden, int countLogits, int classes, int sim) {
        static Dimensions probe(Map<String, GraphSession> sessions) {
            float[] mel = new float[LogMelFrontEnd.PATCH_LENGTH];
            HostTensor audio = sessions.get(AUDIO).run(Map.of(MEL, HostTensor.of(mel, 1, 1, 96, 64)), Set.of(AUDIO_FEATURES))
                    .get(AUDIO_FEATURES);
            int a = audio.dim(1);
            Map<String, HostTensor> frame = sessions.get(FRAME).run(Map.of(IMAGE, HostTensor.of(new float[3 * 64 * 64], 1, 3,
                    64, 64), AUDIO_FEATURES, audio), Set.of(FRAME_QUERIES, COUNT_LOGITS));
            HostTensor fq = frame.get(FRAME_QUERIES);
            int q = fq.dim(1);
            int c = fq.dim(2);
            Map<String, HostTensor> video = sessions.get(VIDEO).run(Map.of(FRAME_QUERIES, HostTensor.of(fq.data(), 1, q, c),
                    AUDIO_FEATURES, audio), Set.of(CLASS_LOGITS, SIM_EMBED));
            return new Dimensions(a, q, c, frame.get(COUNT_LOGITS).dim(1), video.get(CLASS_LOGITS).dim(1) - 1,
                    video.get(SIM_EMBED).dim(1));
        }
    }

    private void warmUp() {
        long start = System.nanoTime();
        byte[] rgb = new byte[640 * 360 * 3];
        Arrays.fill(rgb, (byte) 128);
        FrameRequest request = new FrameRequest("warm-up", 0, 0, new VideoFrame(640, 360, rgb), AudioWindow.silence());
        FrameFeatures features = encodeFrames(List.of(request)).get(0);
        // All-equal logits make every class probability 1/27 < threshold: force one candidate through the masks graph.
        runMasks(new float[features.maskFeatures().channels()], 1, features.maskFeatures());
        decodeWindows(List.of(new WindowRequest("warm-up", 0, List.of(), List.of(), features)));
        LOG.debugf("engine warm-up took %d ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public EngineInfo info() {
        return info;
    }

    /** Cumulative stage times of {@link #encodeFrames}. */
    public StageTimings encodeTimings() {
        return encodeTimings;
    }

    /** Cumulative stage times of {@link #decodeWindows}. */
    public StageTimings decodeTimings() {
        return decodeTimings;
    }

    /** The model's similarity-embedding width. */
    public int similarityDim() {
        return simDim;
    }


    /**
     * A frame after pre-processing: resized planar RGB (0..255) and its log-mel patch ({@code null} = zero patch).
     * Package-private entry for parity tests that start from the reference's already-resized inputs.
     */
    record PreparedFrame(String streamId, long seq, FrameGeometry geometry, float[] chw, float[] mel) {
    }

    /** One candidate of a clip, scored over every frame that has mask features (offline-exact mode). */
    public record ClipDetection(int queryIndex, int classId, float score, float[] similarity, List<BinaryMask> masks) {
    }

    /** A top-k (query, class) pair with its scores; {@code maskRow} indexes the logits computed for its query. */
    record ScoredCandidate(int query, int classId, float probability, float maskScore, float score, int maskRow) {
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        ensureOpen();
        long t0 = System.nanoTime();
        List<PreparedFrame> prepared = new ArrayList<>(batch.size());
        for (FrameRequest request : batch) {
            VideoFrame frame = request.frame();
            FrameGeometry g = resizer.geometry(frame.width(), frame.height());
            float[] chw = new float[3 * g.resizedWidth() * g.resizedHeight()];
            resizer.resizeToChw(frame, g, chw, 0);
            // A window not fully covered is the official "past the end of the soundtrack" case: a zero patch.
            float[] mel = logMel.modelPatch(request.audio().pcm(), request.audio().coverage() == AudioCoverage.COMPLETE);
            prepared.add(new PreparedFrame(request.streamId(), request.seq(), g, chw, mel));
        }
        encodeTimings.add(StageTimings.Stage.PREPROCESS, System.nanoTime() - t0);
        return encodePrepared(prepared);
    }

    /** Audio graph over all frames, then one frame-graph call per resized size (padding happens in the graph). */
    List<FrameFeatures> encodePrepared(List<PreparedFrame> batch) {
        ensureOpen();
        int n = batch.size();
        if (n == 0) {
            return List.of();
        }
        long t0 = System.nanoTime();
        float[] mel = new float[n * LogMelFrontEnd.PATCH_LENGTH];
        for (int i = 0; i < n; i++) {
            if (batch.get(i).mel() != null) {
                System.arraycopy(batch.get(i).mel(), 0, mel, i * LogMelFrontEnd.PATCH_LENGTH, LogMelFrontEnd.PATCH_LENGTH);
            }
        }
        long t1 = System.nanoTime();
        encodeTimings.add(StageTimings.Stage.PREPROCESS, t1 - t0);
        float[] audioFeatures = sessions.get(AUDIO).run(Map.of(MEL, HostTensor.of(mel, n, 1, 96, 64)),
                Set.of(AUDIO_FEATURES)).get(AUDIO_FEATURES).data();
        encodeTimings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - t1);
        int a = info.audioDim();

        Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            FrameGeometry g = batch.get(i).geometry();
            long key = ((long) g.resizedWidth() << 32) | g.resizedHeight();
            bySize.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        FrameFeatures[] out = new FrameFeatures[n];
        for (List<Integer> group : bySize.values()) {
            long g0 = System.nanoTime();
            FrameGeometry g = batch.get(group.get(0)).geometry();
            int m = group.size();
            int plane = 3 * g.resizedWidth() * g.resizedHeight();
            float[] image = new float[m * plane];
            float[] groupAudio = new float[m * a];
            for (int j = 0; j < m; j++) {
                int i = group.get(j);
                System.arraycopy(checkLength(batch.get(i).chw(), plane, "resized frame"), 0, image, j * plane, plane);
                System.arraycopy(audioFeatures, i * a, groupAudio, j * a, a);
            }
            long g1 = System.nanoTime();
            encodeTimings.add(StageTimings.Stage.PREPROCESS, g1 - g0);
            Map<String, HostTensor> result = sessions.get(FRAME).run(Map.of(
                    IMAGE, HostTensor.of(image, m, 3, g.resizedHeight(), g.resizedWidth()),
                    AUDIO_FEATURES, HostTensor.of(groupAudio, m, a)), Set.of(FRAME_QUERIES, COUNT_LOGITS, MASK_FEATURES));
            long g2 = System.nanoTime();
            encodeTimings.add(StageTimings.Stage.INFERENCE, g2 - g1);
            HostTensor fq = result.get(FRAME_QUERIES);
            HostTensor counts = result.get(COUNT_LOGITS);
            HostTensor mf = result.get(MASK_FEATURES);
            int queryLength = info.frameQueryLength();
            int channels = mf.dim(1);
            int h = mf.dim(2);
            int w = mf.dim(3);
            if (h * 4 != g.paddedHeight() || w * 4 != g.paddedWidth()) {
                throw new EngineException("frame graph returned mask features " + h + "x" + w + " for a frame padded to "
                        + g.paddedHeight() + "x" + g.paddedWidth() + "; the contract says padded size / 4");
            }
            int mfLength = channels * h * w;
            for (int j = 0; j < m; j++) {
                int i = group.get(j);
                PreparedFrame frame = batch.get(i);
                out[i] = new FrameFeatures(frame.streamId(), frame.seq(),
                        Arrays.copyOfRange(fq.data(), j * queryLength, (j + 1) * queryLength),
                        Arrays.copyOfRange(audioFeatures, i * a, (i + 1) * a),
                        Arrays.copyOfRange(counts.data(), j * countLogits, (j + 1) * countLogits),
                        new MaskFeatures(channels, h, w, Arrays.copyOfRange(mf.data(), j * mfLength, (j + 1) * mfLength)),
                        g);
            }
            encodeTimings.add(StageTimings.Stage.POSTPROCESS, System.nanoTime() - g2);
        }
        return List.of(out);
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        ensureOpen();
        List<FrameDetections> out = new ArrayList<>(batch.size());
        for (WindowRequest request : batch) {
            out.add(decode(request));
        }
        return out;
    }

    private FrameDetections decode(WindowRequest request) {
        int past = request.pastFrameQueries().size();
        int t = past + 1;
        if (t > info.windowFrames()) {
            throw new IllegalArgumentException("window of stream " + request.streamId() + " holds " + t
                    + " frames, more than avis.engine.window-frames=" + info.windowFrames());
        }
        FrameFeatures current = request.current();
        List<float[]> queries = new ArrayList<>(request.pastFrameQueries());
        queries.add(current.frameQueries());
        List<float[]> audio = new ArrayList<>(request.pastAudioFeatures());
        audio.add(current.audioFeatures());
        Map<String, HostTensor> video = runVideo(queries, audio);
        List<Detection> detections = detections(video.get(CLASS_LOGITS).data(), video.get(MASK_EMBED).data(),
                video.get(SIM_EMBED).data(), current);
        return new FrameDetections(request.streamId(), request.seq(), detections,
                SoundingCount.probabilities(current.countLogits()));
    }

    /**
     * Offline-exact mode (streaming-design §3, spec §5): the video graph over the whole clip, candidates scored
     * over every frame's mask, one binary mask per frame for each kept candidate, best first.
     */
    public List<ClipDetection> decodeClip(List<FrameFeatures> clip) {
        ensureOpen();
        if (clip.isEmpty()) {
            return List.of();
        }
        Map<String, HostTensor> video = runVideo(clip.stream().map(FrameFeatures::frameQueries).toList(),
                clip.stream().map(FrameFeatures::audioFeatures).toList());
        float[] classLogits = video.get(CLASS_LOGITS).data();
        List<MaskDecoder.Candidate> candidates = maskDecoder.candidates(classLogits, videoQueries(classLogits));
        MaskLogits logits = maskLogits(candidates, video.get(MASK_EMBED).data(), clip);
        float[] simEmbed = video.get(SIM_EMBED).data();
        List<ClipDetection> kept = new ArrayList<>();
        for (ScoredCandidate c : score(candidates, logits, clip)) {
            if (c.score() > maskDecoder.threshold()) {
                List<BinaryMask> masks = new ArrayList<>(clip.size());
                for (int t = 0; t < clip.size(); t++) {
                    masks.add(maskDecoder.binaryMask(logits.perFrame.get(t), c.maskRow() * logits.planes.get(t),
                            clip.get(t).geometry()));
                }
                kept.add(new ClipDetection(c.query(), c.classId(), c.score(), similarity(simEmbed, c.query()), masks));
            }
        }
        kept.sort(Comparator.comparingDouble((ClipDetection d) -> d.score()).reversed());
        return kept;
    }

    Map<String, HostTensor> runVideo(List<float[]> frameQueries, List<float[]> audioFeatures) {
        int t = frameQueries.size();
        int ql = info.frameQueryLength();
        int a = info.audioDim();
        float[] queries = new float[t * ql];
        float[] audio = new float[t * a];
        for (int i = 0; i < t; i++) {
            System.arraycopy(checkLength(frameQueries.get(i), ql, "frame queries"), 0, queries, i * ql, ql);
            System.arraycopy(checkLength(audioFeatures.get(i), a, "audio features"), 0, audio, i * a, a);
        }
        long t0 = System.nanoTime();
        Map<String, HostTensor> video = sessions.get(VIDEO).run(Map.of(
                FRAME_QUERIES, HostTensor.of(queries, t, info.numQueries(), info.hiddenDim()),
                AUDIO_FEATURES, HostTensor.of(audio, t, a)), Set.of(CLASS_LOGITS, MASK_EMBED, SIM_EMBED));
        decodeTimings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - t0);
        return video;
    }

    private int videoQueries(float[] classLogits) {
        return classLogits.length / (info.numClasses() + 1);
    }

    /** Spec §5 steps 6-9 for the newest frame, from the video graph's outputs. */
    List<Detection> detections(float[] classLogits, float[] maskEmbed, float[] simEmbed, FrameFeatures current) {
        List<MaskDecoder.Candidate> candidates = maskDecoder.candidates(classLogits, videoQueries(classLogits));
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<FrameFeatures> frames = List.of(current);
        MaskLogits logits = maskLogits(candidates, maskEmbed, frames);
        long p0 = System.nanoTime();
        FrameGeometry g = current.geometry();
        Map<Integer, BinaryMask> masks = new HashMap<>();
        List<Detection> kept = new ArrayList<>();
        for (ScoredCandidate c : score(candidates, logits, frames)) {
            if (c.score() > maskDecoder.threshold()) {
                BinaryMask mask = masks.computeIfAbsent(c.maskRow(),
                        r -> maskDecoder.binaryMask(logits.perFrame.get(0), r * logits.planes.get(0), g));
                kept.add(new Detection(c.query(), c.classId(), c.score(), similarity(simEmbed, c.query()), mask));
            }
        }
        kept.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
        decodeTimings.add(StageTimings.Stage.POSTPROCESS, System.nanoTime() - p0);
        return kept;
    }

    private float[] similarity(float[] simEmbed, int query) {
        return Arrays.copyOfRange(simEmbed, query * simDim, (query + 1) * simDim);
    }

    /** Mask logits (K rows, one per distinct candidate query) for each frame, at the padded size. */
    record MaskLogits(Map<Integer, Integer> rowOfQuery, List<float[]> perFrame, List<Integer> planes) {
    }

    MaskLogits maskLogits(List<MaskDecoder.Candidate> candidates, float[] maskEmbed, List<FrameFeatures> frames) {
        Map<Integer, Integer> row = new LinkedHashMap<>();
        for (MaskDecoder.Candidate candidate : candidates) {
            row.putIfAbsent(candidate.query(), row.size());
        }
        List<float[]> perFrame = new ArrayList<>();
        List<Integer> planes = new ArrayList<>();
        if (row.isEmpty()) {
            return new MaskLogits(row, perFrame, planes);
        }
        int c = frames.get(0).maskFeatures().channels(); // mask_dim, which may differ from the query width
        float[] embeds = new float[row.size() * c];
        row.forEach((query, r) -> System.arraycopy(maskEmbed, query * c, embeds, r * c, c));
        long m0 = System.nanoTime();
        for (FrameFeatures frame : frames) {
            HostTensor logits = runMasks(embeds, row.size(), frame.maskFeatures());
            FrameGeometry g = frame.geometry();
            if (logits.dim(1) != g.paddedHeight() || logits.dim(2) != g.paddedWidth()) {
                throw new EngineException("masks graph returned " + logits.dim(1) + "x" + logits.dim(2)
                        + " logits for a frame padded to " + g.paddedHeight() + "x" + g.paddedWidth());
            }
            perFrame.add(logits.data());
            planes.add(g.paddedHeight() * g.paddedWidth());
        }
        decodeTimings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - m0);
        return new MaskLogits(row, perFrame, planes);
    }

    /** Mask score of every candidate, accumulated over pixels and frames as spec §5 step 7 does. */
    List<ScoredCandidate> score(List<MaskDecoder.Candidate> candidates, MaskLogits logits, List<FrameFeatures> frames) {
        Map<Integer, Float> maskScores = new HashMap<>();
        List<ScoredCandidate> out = new ArrayList<>(candidates.size());
        for (MaskDecoder.Candidate c : candidates) {
            int r = logits.rowOfQuery().get(c.query());
            float maskScore = maskScores.computeIfAbsent(r, row -> {
                double[] numDen = new double[2];
                for (int t = 0; t < frames.size(); t++) {
                    maskDecoder.accumulate(logits.perFrame().get(t), row * logits.planes().get(t), frames.get(t).geometry(),
                            numDen);
                }
                return MaskDecoder.maskScore(numDen);
            });
            out.add(new ScoredCandidate(c.query(), c.classId(), c.probability(), maskScore, c.probability() * maskScore,
                    r));
        }
        return out;
    }

    /** The decoder in use (for parity tests that score every top-k candidate). */
    MaskDecoder maskDecoder() {
        return maskDecoder;
    }

    private HostTensor runMasks(float[] embeds, int rows, MaskFeatures m) {
        return sessions.get(MASKS).run(Map.of(
                MASK_EMBED, HostTensor.of(embeds, rows, m.channels()),
                MASK_FEATURES, HostTensor.of(m.data(), 1, m.channels(), m.height(), m.width())), Set.of(MASK_LOGITS))
                .get(MASK_LOGITS);
    }

    private static float[] checkLength(float[] values, int length, String what) {
        if (values.length != length) {
            throw new IllegalArgumentException(what + " have " + values.length + " floats, the model needs " + length);
        }
        return values;
    }

    private void ensureOpen() {
        if (closed) {
            throw new EngineException("engine " + info.name() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Reverse order of creation: sessions, then the backend.
        List<GraphSession> reverse = new ArrayList<>();
        for (String graph : GraphContract.GRAPHS) {
            reverse.add(0, sessions.get(graph));
        }
        reverse.forEach(GraphSession::close);
        backend.close();
    }
}
