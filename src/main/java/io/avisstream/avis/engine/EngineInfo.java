package io.avisstream.avis.engine;

import java.util.List;

import io.avisstream.avis.message.AvisClasses;

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
 * @param classNames the model's class names in label order (its manifest's)
 */
public record EngineInfo(String name, String executionProvider, String modelId, int numQueries, int hiddenDim,
        int audioDim, int numClasses, int windowFrames, List<String> classNames) {
    public EngineInfo {
        if (numQueries <= 0 || hiddenDim <= 0 || audioDim <= 0 || numClasses <= 0 || windowFrames <= 0) {
            throw new IllegalArgumentException("engine dimensions must be positive");
        }
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
        classNames = List.copyOf(classNames);
    }

    /** An engine whose model lists no class names: {@link AvisClasses#namesFor}. */
    public EngineInfo(String name, String executionProvider, String modelId, int numQueries, int hiddenDim,
            int audioDim, int numClasses, int windowFrames) {
        this(name, executionProvider, modelId, numQueries, hiddenDim, audioDim, numClasses, windowFrames,
                AvisClasses.namesFor(numClasses));
    }

    /** Floats in one frame's queries: {@code numQueries * hiddenDim}. */
    public int frameQueryLength() {
        return numQueries * hiddenDim;
    }

    /** The name of a class id; {@code class_<id>} outside the model's classes. */
    public String className(int classId) {
        return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
    }
}
