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
import static io.avisstream.avis.engine.GraphContract.PIXEL;
import static io.avisstream.avis.engine.GraphContract.PRED_LOGITS;
import static io.avisstream.avis.engine.GraphContract.PRED_MASKS;
import static io.avisstream.avis.engine.GraphContract.SIM_EMBED;
import static io.avisstream.avis.engine.GraphContract.VIDEO;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.avisstream.avis.audio.LogMelFrontEnd;

/**
 * The runner: the four contract graphs (and the optional {@code pixel} graph when the model has one) loaded on one
 * {@link GraphBackend}, run on host tensors. Knows tensor names
 * and shapes, nothing of frames, audio or detections (that is the translators' side: {@link FramePreprocessor},
 * {@link DetectionPostprocessor}). Thread-safe, as the sessions are.
 */
final class AcvisGraphs implements AutoCloseable {

    /** Model dimensions read from the graphs' own outputs on a minimal input. */
    record Dimensions(int audio, int queries, int hidden, int countLogits, int classes, int similarity) {
    }

    private final Map<String, GraphSession> sessions;
    private final GraphBackend backend;
    private final String modelId;
    /**
     * The frame outputs run() asks for: {@code count_logits} only when the model has a count head; {@code pred_logits}
     * and {@code pred_masks} for {@link FrameHearing}.
     */
    private final Set<String> frameOutputs;
    private volatile boolean closed;

    private AcvisGraphs(Map<String, GraphSession> sessions, GraphBackend backend, String modelId) {
        this.sessions = sessions;
        this.backend = backend;
        this.modelId = modelId;
        this.frameOutputs = sessions.get(FRAME).outputNames().contains(COUNT_LOGITS)
                ? Set.of(FRAME_QUERIES, COUNT_LOGITS, MASK_FEATURES, PRED_LOGITS, PRED_MASKS)
                : Set.of(FRAME_QUERIES, MASK_FEATURES, PRED_LOGITS, PRED_MASKS);
    }

    /** Whether the frame graph has the SAOC count head (ACVIS); AVISM-style models have none. */
    boolean hasCountHead() {
        return frameOutputs.contains(COUNT_LOGITS);
    }

    /**
     * Loads the four graphs of {@code dir} on {@code backend}, and the optional ones its directory has; the model id
     * is a hash of the graph files. Closes what it opened (the backend included) when a graph is missing or does not
     * load.
     */
    static AcvisGraphs load(Path dir, GraphBackend backend, ShapeProfiles profiles) {
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
            for (String graph : GraphContract.OPTIONAL_GRAPHS) {
                Path file = dir.resolve(graph + ".onnx");
                if (Files.isRegularFile(file)) {
                    hashes.append(TensorRtPlanCache.sha256Hex(file));
                    sessions.put(graph, backend.open(graph, file, GraphContract.inputs(graph),
                            GraphContract.outputs(graph), profiles.of(graph)));
                }
            }
            String modelId = TensorRtPlanCache.sha256Hex(hashes.toString().getBytes(StandardCharsets.UTF_8))
                    .substring(0, 12);
            return new AcvisGraphs(Map.copyOf(sessions), backend, modelId);
        } catch (RuntimeException e) {
            sessions.values().forEach(GraphSession::close);
            backend.close();
            throw e;
        }
    }

    String modelId() {
        return modelId;
    }

    String executionProvider() {
        return backend.executionProvider();
    }

    /** Reads the model's dimensions with one tiny call of the audio, frame and video graphs. */
    Dimensions probe() {
        float[] mel = new float[LogMelFrontEnd.PATCH_LENGTH];
        HostTensor audio = session(AUDIO).run(Map.of(MEL, HostTensor.of(mel, 1, 1, 96, 64)), Set.of(AUDIO_FEATURES))
                .get(AUDIO_FEATURES);
        int a = audio.dim(1);
        Map<String, HostTensor> frame = session(FRAME).run(Map.of(IMAGE, HostTensor.of(new float[3 * 64 * 64], 1, 3,
                64, 64), AUDIO_FEATURES, audio), frameOutputs);
        HostTensor fq = frame.get(FRAME_QUERIES);
        int q = fq.dim(1);
        int c = fq.dim(2);
        Map<String, HostTensor> video = session(VIDEO).run(Map.of(FRAME_QUERIES, HostTensor.of(fq.data(), 1, q, c),
                AUDIO_FEATURES, audio), Set.of(CLASS_LOGITS, SIM_EMBED));
        int countLogits = hasCountHead() ? frame.get(COUNT_LOGITS).dim(1) : 0;
        return new Dimensions(a, q, c, countLogits, video.get(CLASS_LOGITS).dim(1) - 1,
                video.get(SIM_EMBED).dim(1));
    }

    /** Audio graph: {@code n} mel patches (n x 96 x 64) to n audio-feature rows. */
    float[] audio(float[] mel, int n) {
        return session(AUDIO).run(Map.of(MEL, HostTensor.of(mel, n, 1, 96, 64)), Set.of(AUDIO_FEATURES))
                .get(AUDIO_FEATURES).data();
    }

    /** Frame graph on {@code m} images of one size (planar RGB 0..255) with their audio features. */
    Map<String, HostTensor> frame(float[] image, int m, int height, int width, float[] audioFeatures, int audioDim) {
        return session(FRAME).run(Map.of(IMAGE, HostTensor.of(image, m, 3, height, width),
                AUDIO_FEATURES, HostTensor.of(audioFeatures, m, audioDim)), frameOutputs);
    }

    /** Whether the model has the optional pixel graph (m_t without the frame decoder). */
    boolean hasPixelGraph() {
        return sessions.containsKey(PIXEL);
    }

    /**
     * m_t alone for one image (planar RGB 0..255, resized): the pixel graph when the model has one, else the frame
     * graph asked for its mask features only. m_t comes from the backbone and pixel decoder, which never see the
     * audio, so zero audio features give the frame's own m_t (and the audio graph is skipped).
     */
    MaskFeatures maskFeatures(float[] image, int height, int width, int audioDim) {
        HostTensor in = HostTensor.of(image, 1, 3, height, width);
        HostTensor mf = hasPixelGraph()
                ? session(PIXEL).run(Map.of(IMAGE, in), Set.of(MASK_FEATURES)).get(MASK_FEATURES)
                : session(FRAME).run(Map.of(IMAGE, in, AUDIO_FEATURES, HostTensor.of(new float[audioDim], 1, audioDim)),
                        Set.of(MASK_FEATURES)).get(MASK_FEATURES);
        return new MaskFeatures(mf.dim(1), mf.dim(2), mf.dim(3), mf.data());
    }

    /** Video graph over {@code t} frames (queries t x q x c, audio t x a). */
    Map<String, HostTensor> video(float[] queries, int t, int q, int c, float[] audio, int a) {
        return session(VIDEO).run(Map.of(FRAME_QUERIES, HostTensor.of(queries, t, q, c),
                AUDIO_FEATURES, HostTensor.of(audio, t, a)), Set.of(CLASS_LOGITS, MASK_EMBED, SIM_EMBED));
    }

    /** Masks graph: {@code rows} mask embeddings against one frame's mask features, logits at the padded size. */
    HostTensor masks(float[] embeds, int rows, MaskFeatures m) {
        return session(MASKS).run(Map.of(
                MASK_EMBED, HostTensor.of(embeds, rows, m.channels()),
                MASK_FEATURES, HostTensor.of(m.data(), 1, m.channels(), m.height(), m.width())), Set.of(MASK_LOGITS))
                .get(MASK_LOGITS);
    }

    private GraphSession session(String graph) {
        if (closed) {
            throw new EngineException("model " + modelId + " is closed");
        }
        return sessions.get(graph);
    }

    /** Idempotent; reverse order of creation: sessions, then the backend. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<GraphSession> reverse = new ArrayList<>();
        for (String graph : GraphContract.GRAPHS) {
            reverse.add(0, sessions.get(graph));
        }
        for (String graph : GraphContract.OPTIONAL_GRAPHS) {
            if (sessions.containsKey(graph)) {
                reverse.add(0, sessions.get(graph));
            }
        }
        reverse.forEach(GraphSession::close);
        backend.close();
    }
}
