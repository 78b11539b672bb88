package io.avisstream.avis.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Engine settings ({@code avis.engine.*}); see {@link EngineSettings} for the validated form the engines use. */
@ConfigMapping(prefix = "avis.engine")
public interface EngineConfig {

    /** Engine implementation: {@code ort-cpu} (default), {@code ort-cuda}, {@code ort-tensorrt} or {@code djl-tensorrt}. */
    @WithDefault("ort-cpu")
    String kind();

    /** Directory holding {@code audio.onnx}, {@code frame.onnx}, {@code video.onnx}, {@code masks.onnx} and {@code manifest.json}. */
    @WithDefault("engines/models/tiny")
    Path modelDir();

    /** ONNX Runtime intra-op threads; 0 = one per available core. */
    @WithDefault("0")
    int intraOpThreads();

    /** ONNX Runtime graph optimisation level: {@code none}, {@code basic}, {@code extended} or {@code all}. */
    @WithDefault("all")
    String optimizationLevel();

    /** Use ONNX Runtime's CPU memory arena (faster steady state, memory is kept between calls). */
    @WithDefault("true")
    boolean arena();

    /** Let TensorRT build fp16 kernels (GPU kinds only). */
    @WithDefault("true")
    boolean fp16();

    /** Where serialized TensorRT plans are cached, keyed by model hash, GPU and TensorRT version (GPU kinds only). */
    @WithDefault("${java.io.tmpdir}/avis-tensorrt-plans")
    Path tensorrtCacheDir();

    /** CUDA device ordinal (GPU kinds only). */
    @WithDefault("0")
    int deviceId();

    /** Engine kind to start instead when {@link #kind()} cannot run here; absent = fail at start. */
    Optional<String> fallbackKind();

    /** Cross-stream micro-batching of the per-frame stage. */
    Batch batch();

    /**
     * Keep a (query, class) candidate only when its final score is above this. Absent: the model's manifest
     * ({@code test_score_threshold}; 0.3 as the official inference).
     */
    Optional<Float> scoreThreshold();

    /**
     * Candidates kept by the top-k over (query, class) pairs before mask scoring. Absent: the model's manifest
     * ({@code test_topk}; 100 as the official inference).
     */
    Optional<Integer> topK();

    /** W: frames the video graph sees per call, the newest included. Absent: the model's manifest ({@code window_size}). */
    Optional<Integer> windowFrames();

    /** Run every graph once at start, so the first real frame does not pay for lazy initialisation. */
    @WithDefault("true")
    boolean warmUp();

    interface Batch {
        /** Largest number of frames (of any streams) run in one frame-graph call; 1 disables batching. */
        @WithDefault("8")
        int maxSize();

        /** How long a batch that formed while the engine was busy may wait to fill up; a lone caller never waits. */
        @WithDefault("2ms")
        Duration maxWait();
    }
}
