package io.avisstream.avis.engine;

import java.nio.file.Path;
import java.util.List;

/** Opens the contract's graphs on one runtime (ONNX Runtime with an execution provider, or DJL TensorRT). */
interface GraphBackend extends AutoCloseable {

    /** The execution provider as logged and reported in {@link EngineInfo}, e.g. {@code CPU} or {@code TensorRT fp16}. */
    String executionProvider();

    /**
     * Loads one graph and checks that it declares the contract's input and output names.
     *
     * @param profile dynamic-shape profile for builders that need one (TensorRT); ignored elsewhere
     */
    GraphSession open(String graph, Path file, List<String> inputs, List<String> outputs, ShapeProfile profile);

    @Override
    void close();
}
