package io.avisstream.avis.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Validated engine settings: built from {@link EngineConfig} at start (failing with the key name) or directly
 * by tests and the bench command. {@code scoreThreshold}, {@code topK} and {@code windowFrames} override the model's
 * manifest ({@link ModelManifest}) when present.
 */
public record EngineSettings(EngineKind kind, Path modelDir, int intraOpThreads, OptimizationLevel optimizationLevel,
        boolean arena, boolean fp16, Path tensorrtCacheDir, int deviceId, Optional<EngineKind> fallbackKind,
        int batchMaxSize, Duration batchMaxWait, Optional<Float> scoreThreshold, Optional<Integer> topK,
        Optional<Integer> windowFrames, boolean warmUp) {

    /** ONNX Runtime graph optimisation levels, spelled as in the configuration. */
    public enum OptimizationLevel {
        NONE, BASIC, EXTENDED, ALL
    }

    public EngineSettings {
        require(kind != null, "avis.engine.kind", "is required");
        require(modelDir != null, "avis.engine.model-dir", "is required");
        require(intraOpThreads >= 0, "avis.engine.intra-op-threads", "must be >= 0, got " + intraOpThreads);
        require(optimizationLevel != null, "avis.engine.optimization-level", "is required");
        require(deviceId >= 0, "avis.engine.device-id", "must be >= 0, got " + deviceId);
        require(fallbackKind != null && fallbackKind.filter(kind::equals).isEmpty(), "avis.engine.fallback-kind",
                "must differ from avis.engine.kind");
        require(batchMaxSize >= 1, "avis.engine.batch.max-size", "must be >= 1, got " + batchMaxSize);
        require(batchMaxWait != null && !batchMaxWait.isNegative(), "avis.engine.batch.max-wait", "must be >= 0");
        require(scoreThreshold != null && scoreThreshold.filter(t -> t < 0f || t >= 1f).isEmpty(),
                "avis.engine.score-threshold", "must be in [0, 1), got " + scoreThreshold);
        require(topK != null && topK.filter(k -> k < 1).isEmpty(), "avis.engine.top-k", "must be >= 1, got " + topK);
        require(windowFrames != null && windowFrames.filter(w -> w < 1).isEmpty(), "avis.engine.window-frames",
                "must be >= 1, got " + windowFrames);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + problem);
        }
    }

    public static EngineSettings from(EngineConfig config) {
        return new EngineSettings(parseKind(config.kind(), "avis.engine.kind"), config.modelDir(),
                config.intraOpThreads(), parseLevel(config.optimizationLevel()), config.arena(), config.fp16(),
                config.tensorrtCacheDir(), config.deviceId(),
                config.fallbackKind().map(k -> parseKind(k, "avis.engine.fallback-kind")), config.batch().maxSize(),
                config.batch().maxWait(), config.scoreThreshold(), config.topK(), config.windowFrames(),
                config.warmUp());
    }

    /** The defaults of {@link EngineConfig} for a model directory (CPU, scoring and window from its manifest, warm-up on). */
    public static EngineSettings defaults(Path modelDir) {
        return new EngineSettings(EngineKind.ORT_CPU, modelDir, 0, OptimizationLevel.ALL, true, true,
                Path.of(System.getProperty("java.io.tmpdir"), "avis-tensorrt-plans"), 0, Optional.empty(), 8,
                Duration.ofMillis(2), Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    public EngineSettings withKind(EngineKind newKind, Optional<EngineKind> newFallback) {
        return new EngineSettings(newKind, modelDir, intraOpThreads, optimizationLevel, arena, fp16, tensorrtCacheDir,
                deviceId, newFallback, batchMaxSize, batchMaxWait, scoreThreshold, topK, windowFrames, warmUp);
    }

    public EngineSettings withModelDir(Path dir) {
        return new EngineSettings(kind, dir, intraOpThreads, optimizationLevel, arena, fp16, tensorrtCacheDir, deviceId,
                fallbackKind, batchMaxSize, batchMaxWait, scoreThreshold, topK, windowFrames, warmUp);
    }

    public EngineSettings withThreads(int threads) {
        return new EngineSettings(kind, modelDir, threads, optimizationLevel, arena, fp16, tensorrtCacheDir, deviceId,
                fallbackKind, batchMaxSize, batchMaxWait, scoreThreshold, topK, windowFrames, warmUp);
    }

    public EngineSettings withWarmUp(boolean newWarmUp) {
        return new EngineSettings(kind, modelDir, intraOpThreads, optimizationLevel, arena, fp16, tensorrtCacheDir,
                deviceId, fallbackKind, batchMaxSize, batchMaxWait, scoreThreshold, topK, windowFrames, newWarmUp);
    }

    public EngineSettings withScoring(int newTopK, float newThreshold) {
        return new EngineSettings(kind, modelDir, intraOpThreads, optimizationLevel, arena, fp16, tensorrtCacheDir,
                deviceId, fallbackKind, batchMaxSize, batchMaxWait, Optional.of(newThreshold), Optional.of(newTopK),
                windowFrames, warmUp);
    }

    public EngineSettings withTensorrtCacheDir(Path dir) {
        return new EngineSettings(kind, modelDir, intraOpThreads, optimizationLevel, arena, fp16, dir, deviceId,
                fallbackKind, batchMaxSize, batchMaxWait, scoreThreshold, topK, windowFrames, warmUp);
    }

    /** Intra-op threads actually used: the configured number, or one per available core. */
    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    private static EngineKind parseKind(String text, String key) {
        try {
            return EngineKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static OptimizationLevel parseLevel(String text) {
        try {
            return OptimizationLevel.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("avis.engine.optimization-level: unknown level '" + text
                    + "', expected none, basic, extended or all", e);
        }
    }
}
