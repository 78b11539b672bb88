package io.avisstream.avis.engine;

import static io.avisstream.avis.engine.GraphContract.CLASS_LOGITS;
import static io.avisstream.avis.engine.GraphContract.COUNT_LOGITS;
import static io.avisstream.avis.engine.GraphContract.FRAME_QUERIES;
import static io.avisstream.avis.engine.GraphContract.MASK_EMBED;
import static io.avisstream.avis.engine.GraphContract.MASK_FEATURES;
import static io.avisstream.avis.engine.GraphContract.PRED_LOGITS;
import static io.avisstream.avis.engine.GraphContract.PRED_MASKS;
import static io.avisstream.avis.engine.GraphContract.SIM_EMBED;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.media.VideoFrame;

/**
 * The ACVIS engine as translator + runner, the way a predictor is built: {@link FramePreprocessor} (frames and PCM
 * to graph inputs), {@link AcvisGraphs} (the four contract graphs on a backend) and {@link DetectionPostprocessor}
 * (graph outputs to detections). This class only sequences them per call and times each stage; callers deal in
 * frames, PCM and detections, tensors never leave the engine package.
 *
 * <p>Thread-safe: the sessions are, and every call works on its own arrays.
 */
public final class AcvisEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(AcvisEngine.class);

    private final AcvisGraphs graphs;
    private final EngineInfo info;
    private final int countLogits;
    private final int simDim;
    private final FramePreprocessor preprocessor = new FramePreprocessor();
    private final DetectionPostprocessor postprocessor;
    private final StageTimings encodeTimings = new StageTimings();
    private final StageTimings decodeTimings = new StageTimings();
    private final StageTimings maskTimings = new StageTimings();

    private AcvisEngine(AcvisGraphs graphs, EngineInfo info, int countLogits, int simDim, MaskDecoder maskDecoder) {
        this.graphs = graphs;
        this.info = info;
        this.countLogits = countLogits;
        this.simDim = simDim;
        this.postprocessor = new DetectionPostprocessor(graphs, maskDecoder, info.numClasses(), simDim, decodeTimings);
    }

    /**
     * Loads the four graphs of {@code settings.modelDir()} on {@code backend} with the constants of its manifest
     * (overridden by the settings that are present), reads the model's dimensions with a tiny probe call, and (when
     * configured) warms every graph up at 640x360.
     */
    static AcvisEngine open(EngineSettings settings, GraphBackend backend, ShapeProfiles profiles) {
        ModelManifest manifest;
        try {
            manifest = ModelManifest.read(settings.modelDir());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        AcvisGraphs graphs = AcvisGraphs.load(settings.modelDir(), backend, profiles);
        try {
            AcvisGraphs.Dimensions dims = graphs.probe();
            if (dims.classes() != manifest.numClasses()) {
                throw new EngineException("the graphs of " + settings.modelDir().toAbsolutePath() + " have "
                        + dims.classes() + " classes, their manifest says " + manifest.numClasses());
            }
            EngineInfo info = new EngineInfo(settings.kind().id(), graphs.executionProvider(), graphs.modelId(),
                    dims.queries(), dims.hidden(), dims.audio(), dims.classes(),
                    settings.windowFrames().orElse(manifest.windowFrames()), manifest.classNames());
            AcvisEngine engine = new AcvisEngine(graphs, info, dims.countLogits(), dims.similarity(), new MaskDecoder(
                    settings.topK().orElse(manifest.topK()), settings.scoreThreshold().orElse(manifest.scoreThreshold())));
            if (settings.warmUp()) {
                engine.warmUp();
            }
            return engine;
        } catch (RuntimeException e) {
            graphs.close();
            throw e;
        }
    }

    private void warmUp() {
        long start = System.nanoTime();
        byte[] rgb = new byte[640 * 360 * 3];
        Arrays.fill(rgb, (byte) 128);
        FrameRequest request = new FrameRequest("warm-up", 0, 0, new VideoFrame(640, 360, rgb), AudioWindow.silence());
        FrameFeatures features = encodeFrames(List.of(request)).get(0);
        // All-equal logits make every class probability 1/27 < threshold: force one candidate through the masks graph.
        graphs.masks(new float[features.maskFeatures().channels()], 1, features.maskFeatures());
        decodeWindows(List.of(StreamWindow.empty().request(features)));
        masksFor(request, List.of(new float[features.maskFeatures().channels()]));
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

    /** Cumulative stage times of {@link #masksFor} (fresh masks between inferences). */
    public StageTimings maskTimings() {
        return maskTimings;
    }

    /** Where fresh masks get m_t: {@code pixel} (the optional graph) or {@code frame} (the frame graph's output). */
    public String freshMaskGraph() {
        return graphs.hasPixelGraph() ? GraphContract.PIXEL : GraphContract.FRAME;
    }

    /** The model's similarity-embedding width. */
    public int similarityDim() {
        return simDim;
    }

    /**
     * One candidate of a clip, scored over every frame that has mask features (offline-exact mode); {@code heard}:
     * per frame, {@link FrameHearing#heard} (NaN without frame-level hearing).
     */
    public record ClipDetection(int queryIndex, int classId, float score, float[] similarity, List<BinaryMask> masks,
            float[] heard) {
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        long t0 = System.nanoTime();
        List<PreparedFrame> prepared = new ArrayList<>(batch.size());
        for (FrameRequest request : batch) {
            prepared.add(preprocessor.prepare(request));
        }
        encodeTimings.add(StageTimings.Stage.PREPROCESS, System.nanoTime() - t0);
        return encodePrepared(prepared);
    }

    /** Audio graph over all frames, then one frame-graph call per resized size (padding happens in the graph). */
    List<FrameFeatures> encodePrepared(List<PreparedFrame> batch) {
        int n = batch.size();
        if (n == 0) {
            return List.of();
        }
        long t0 = System.nanoTime();
        float[] mel = preprocessor.melBatch(batch);
        long t1 = System.nanoTime();
        encodeTimings.add(StageTimings.Stage.PREPROCESS, t1 - t0);
        float[] audioFeatures = graphs.audio(mel, n);
        encodeTimings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - t1);
        int a = info.audioDim();

        FrameFeatures[] out = new FrameFeatures[n];
        for (List<Integer> group : preprocessor.groupsBySize(batch)) {
            long g0 = System.nanoTime();
            FrameGeometry g = batch.get(group.get(0)).geometry();
            int m = group.size();
            float[] image = preprocessor.images(batch, group);
            float[] groupAudio = new float[m * a];
            for (int j = 0; j < m; j++) {
                System.arraycopy(audioFeatures, group.get(j) * a, groupAudio, j * a, a);
            }
            long g1 = System.nanoTime();
            encodeTimings.add(StageTimings.Stage.PREPROCESS, g1 - g0);
            Map<String, HostTensor> result = graphs.frame(image, m, g.resizedHeight(), g.resizedWidth(), groupAudio, a);
            long g2 = System.nanoTime();
            encodeTimings.add(StageTimings.Stage.INFERENCE, g2 - g1);
            HostTensor fq = result.get(FRAME_QUERIES);
            HostTensor counts = result.get(COUNT_LOGITS);
            HostTensor mf = result.get(MASK_FEATURES);
            HostTensor predLogits = result.get(PRED_LOGITS);
            HostTensor predMasks = result.get(PRED_MASKS);
            int queryLength = info.frameQueryLength();
            int channels = mf.dim(1);
            int h = mf.dim(2);
            int w = mf.dim(3);
            if (h * 4 != g.paddedHeight() || w * 4 != g.paddedWidth()) {
                throw new EngineException("frame graph returned mask features " + h + "x" + w + " for a frame padded to "
                        + g.paddedHeight() + "x" + g.paddedWidth() + "; the contract says padded size / 4");
            }
            int mfLength = channels * h * w;
            int frameQueries = predLogits.dim(1);
            int logitsLength = frameQueries * predLogits.dim(2);
            if (predMasks.dim(1) != frameQueries || predMasks.dim(2) != h || predMasks.dim(3) != w) {
                throw new EngineException("frame graph returned pred_masks " + predMasks.dim(1) + "x" + predMasks.dim(2)
                        + "x" + predMasks.dim(3) + " for " + frameQueries + " queries and mask features " + h + "x" + w);
            }
            int predMasksLength = frameQueries * h * w;
            for (int j = 0; j < m; j++) {
                int i = group.get(j);
                PreparedFrame frame = batch.get(i);
                out[i] = new FrameFeatures(frame.streamId(), frame.seq(),
                        Arrays.copyOfRange(fq.data(), j * queryLength, (j + 1) * queryLength),
                        Arrays.copyOfRange(audioFeatures, i * a, (i + 1) * a),
                        counts == null ? new float[0]
                                : Arrays.copyOfRange(counts.data(), j * countLogits, (j + 1) * countLogits),
                        new MaskFeatures(channels, h, w, Arrays.copyOfRange(mf.data(), j * mfLength, (j + 1) * mfLength)),
                        g, FrameHearing.of(Arrays.copyOfRange(predLogits.data(), j * logitsLength, (j + 1) * logitsLength),
                                frameQueries, Arrays.copyOfRange(predMasks.data(), j * predMasksLength,
                                        (j + 1) * predMasksLength), h, w, g));
            }
            encodeTimings.add(StageTimings.Stage.POSTPROCESS, System.nanoTime() - g2);
        }
        return List.of(out);
    }

    /**
     * Fresh masks: resize, m_t from the frame graph ({@link AcvisGraphs#maskFeatures}), the masks graph on the given
     * e_k, then the same crop, resize and threshold as an inferred frame's masks ({@link MaskDecoder#binaryMask}). On
     * an inferred frame with its own detections' e_k this reproduces their masks exactly.
     */
    @Override
    public Optional<List<BinaryMask>> masksFor(FrameRequest request, List<float[]> maskEmbeddings) {
        if (maskEmbeddings.isEmpty()) {
            return Optional.of(List.of());
        }
        long t0 = System.nanoTime();
        PreparedFrame frame = preprocessor.prepareImage(request);
        FrameGeometry g = frame.geometry();
        long t1 = System.nanoTime();
        maskTimings.add(StageTimings.Stage.PREPROCESS, t1 - t0);
        MaskFeatures m = graphs.maskFeatures(frame.chw(), g.resizedHeight(), g.resizedWidth(), info.audioDim());
        int c = m.channels();
        int k = maskEmbeddings.size();
        float[] embeds = new float[k * c];
        for (int i = 0; i < k; i++) {
            System.arraycopy(checkLength(maskEmbeddings.get(i), c, "mask embeddings"), 0, embeds, i * c, c);
        }
        HostTensor logits = graphs.masks(embeds, k, m);
        long t2 = System.nanoTime();
        maskTimings.add(StageTimings.Stage.INFERENCE, t2 - t1);
        int plane = g.paddedHeight() * g.paddedWidth();
        if (logits.dim(1) != g.paddedHeight() || logits.dim(2) != g.paddedWidth()) {
            throw new EngineException("masks graph returned " + logits.dim(1) + "x" + logits.dim(2)
                    + " logits for a frame padded to " + g.paddedHeight() + "x" + g.paddedWidth());
        }
        List<BinaryMask> masks = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            masks.add(postprocessor.maskDecoder().binaryMask(logits.data(), i * plane, g));
        }
        maskTimings.add(StageTimings.Stage.POSTPROCESS, System.nanoTime() - t2);
        return Optional.of(masks);
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        List<FrameDetections> out = new ArrayList<>(batch.size());
        for (WindowRequest request : batch) {
            out.add(decode(request));
        }
        return out;
    }

    private FrameDetections decode(WindowRequest request) {
        return decode(request, request.current());
    }

    /**
     * Live mode with look-ahead L (streaming-design §2): the video graph over {@code request}'s window, which ends at
     * its newest frame t + L, and the detections of an earlier frame of that window, {@code target} (frame t, whose
     * mask features and count logits the caller kept).
     */
    public FrameDetections decodeWindowFor(WindowRequest request, FrameFeatures target) {
        return decode(request, target);
    }

    private FrameDetections decode(WindowRequest request, FrameFeatures target) {
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
        List<Detection> detections = postprocessor.detections(video.get(CLASS_LOGITS).data(),
                video.get(MASK_EMBED).data(), video.get(SIM_EMBED).data(), target);
        // no count head (AVISM): no probabilities, so the tracker flags every detection sounding
        float[] counts = target.countLogits().length == 0 ? null : SoundingCount.probabilities(target.countLogits());
        return new FrameDetections(request.streamId(), request.seq(), detections, counts);
    }

    /**
     * Offline-exact mode (streaming-design §3, spec §5): the video graph over the whole clip, candidates scored
     * over every frame's mask, one binary mask per frame for each kept candidate, best first.
     */
    public List<ClipDetection> decodeClip(List<FrameFeatures> clip) {
        if (clip.isEmpty()) {
            return List.of();
        }
        Map<String, HostTensor> video = runVideo(clip.stream().map(FrameFeatures::frameQueries).toList(),
                clip.stream().map(FrameFeatures::audioFeatures).toList());
        return postprocessor.clipDetections(video.get(CLASS_LOGITS).data(), video.get(MASK_EMBED).data(),
                video.get(SIM_EMBED).data(), clip);
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
        Map<String, HostTensor> video = graphs.video(queries, t, info.numQueries(), info.hiddenDim(), audio, a);
        decodeTimings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - t0);
        return video;
    }

    /** (query, class) pairs kept before mask scoring, as resolved from the manifest and the settings. */
    public int topK() {
        return postprocessor.maskDecoder().topK();
    }

    /** Lowest final score kept, as resolved from the manifest and the settings. */
    public float scoreThreshold() {
        return postprocessor.maskDecoder().threshold();
    }

    /** The post-processing in use (for parity tests that score every top-k candidate). */
    DetectionPostprocessor postprocessor() {
        return postprocessor;
    }

    private static float[] checkLength(float[] values, int length, String what) {
        if (values.length != length) {
            throw new IllegalArgumentException(what + " have " + values.length + " floats, the model needs " + length);
        }
        return values;
    }

    @Override
    public void close() {
        graphs.close();
    }
}
