package io.avisstream.avis.engine;

/**
 * What an engine runs and where.
 *
 * @param name engine id as configured ({@code ort-cpu}, {@code ort-tensorrt}, {@code ort-cuda}, {@code djl-tensorrt}, ...)
 * @param executionProvider the provider actually in use (e.g. {@code CPU}, {@code TensorRT fp16})
 * @param modelId model identity, e.g. the SHA-256 prefix of the exported graphs
 * @param numQueries video/frame queries per frame (Q, 100 for the official model)
 * @param hiddenDim query width (C, 256 for the official model)
 * @param audioDim audio feature width (128)
 * @param numClasses object classes without "no object" (26 for AVISeg)
 * @param windowFrames W: frames the video graph sees per call (current frame included)
 */
public record EngineInfo(String name, String executionProvider, String modelId, int numQueries, int hiddenDim,
        int audioDim, int numClasses, int windowFrames) {
    public EngineInfo {
        if (numQueries <= 0 || hiddenDim <= 0 || audioDim <= 0 || numClasses <= 0 || windowFrames <= 0) {
            throw new IllegalArgumentException("engine dimensions must be positive");
        }
    }

    /** Floats in one frame's queries: {@code numQueries * hiddenDim}. */
    public int frameQueryLength() {
        return numQueries * hiddenDim;
    }
}
