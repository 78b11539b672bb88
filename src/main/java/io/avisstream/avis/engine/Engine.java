package io.avisstream.avis.engine;

import java.util.List;
import java.util.Optional;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.FrameDetections;

/**
 * Runs the exported ACVIS graphs (see {@code engines/CONTRACT.md}) behind one interface.
 *
 * <p>The model is split the way a stream processor can drive it: a stateless per-frame stage
 * ({@link #encodeFrames}: audio graph + frame graph, batchable across streams) and a windowed
 * video stage ({@link #decodeWindows}: video graph over the last W frames of one stream, then
 * candidate scoring and mask decoding for the newest frame). Pre- and post-processing (resize,
 * pad, log-mel, sigmoid/softmax, top-k, mask upsampling) live inside the engine, so callers deal
 * in frames, PCM and detections, never in tensors.
 *
 * <p>One engine per application, shared by every stream task: implementations are thread-safe.
 * Output {@code i} of a batch call always belongs to request {@code i}.
 */
public interface Engine extends AutoCloseable {

    /** Static facts about the loaded model and where it runs (logged at start). */
    EngineInfo info();

    /** Per-frame stage for frames of possibly different streams. */
    List<FrameFeatures> encodeFrames(List<FrameRequest> batch);

    /** Video stage: one request per stream window, each ending at that stream's newest frame. */
    List<FrameDetections> decodeWindows(List<WindowRequest> batch);

    /**
     * Live mode for one stream: the per-frame stage for {@code frame}, then the video stage over the stream's
     * {@code window} and the frame. Returns the frame's detections and the window to keep for the stream's next
     * inferred frame.
     */
    default WindowDetections detect(FrameRequest frame, StreamWindow window) {
        FrameFeatures features = encodeFrames(List.of(frame)).get(0);
        FrameDetections detections = decodeWindows(List.of(window.request(features))).get(0);
        return new WindowDetections(detections, window.append(features, info().windowFrames()));
    }

    /**
     * Fresh masks for a frame between inferences (spec: the masks of frame t are e_k . m_t): the frame's own mask
     * features m_t against the mask embeddings e_k of an earlier inferred frame's detections
     * ({@link io.avisstream.avis.media.Detection#maskEmbedding}). One mask per embedding, in order, at the frame's
     * original size, thresholded as the inferred frame's masks are; only the image of {@code frame} is used. Empty
     * when the engine cannot compute them (the caller then copies the inferred frame's masks).
     */
    default Optional<List<BinaryMask>> masksFor(FrameRequest frame, List<float[]> maskEmbeddings) {
        return Optional.empty();
    }

    /** Cumulative stage times of the per-frame stage ({@link #encodeFrames}), or null when the engine keeps none. */
    default StageTimings encodeTimings() {
        return null;
    }

    /** Cumulative stage times of the video stage ({@link #decodeWindows}), or null when the engine keeps none. */
    default StageTimings decodeTimings() {
        return null;
    }

    /** Frees native resources; idempotent. */
    @Override
    void close();
}
