package io.avisstream.avis.engine;

import java.util.Arrays;

/** The engine implementations {@code avis.engine.kind} selects from. */
public enum EngineKind {
    /** ONNX Runtime, CPU execution provider: the default, fully offline (natives come from Maven Central). */
    ORT_CPU("ort-cpu"),
    /** ONNX Runtime with the CUDA execution provider (needs the {@code -Pgpu} build, CUDA 12 and cuDNN 9). */
    ORT_CUDA("ort-cuda"),
    /** ONNX Runtime with the TensorRT execution provider (CUDA as fallback for unsupported nodes). */
    ORT_TENSORRT("ort-tensorrt"),
    /** DJL's TensorRT engine ({@code ai.djl.tensorrt:tensorrt:0.33.0}, TensorRT 8.x, {@code libnvinfer.so.8}). */
    DJL_TENSORRT("djl-tensorrt");

    private final String id;

    EngineKind(String id) {
        this.id = id;
    }

    /** The configuration spelling, e.g. {@code ort-cpu}. */
    public String id() {
        return id;
    }

    public boolean usesGpu() {
        return this != ORT_CPU;
    }

    /** Parses the configuration spelling (also accepts the enum constant name). */
    public static EngineKind parse(String text) {
        for (EngineKind kind : values()) {
            if (kind.id.equalsIgnoreCase(text.trim()) || kind.name().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown engine kind '" + text + "', expected one of "
                + Arrays.stream(values()).map(EngineKind::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
