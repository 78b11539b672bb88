package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code avis.engine.*} mapping as SmallRye Config reads it (the same mapping Quarkus builds), then validated. */
class EngineConfigTest {

    private static EngineConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(EngineConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                // What Quarkus adds: system properties (for ${java.io.tmpdir}) and its "2ms"-style Duration converter.
                .addDefaultSources()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .addDefaultInterceptors()
                .build();
        return config.getConfigMapping(EngineConfig.class);
    }

    @Test
    void shouldDefaultToTheOfficialPostProcessingOnCpu() {
        // Given / When
        EngineSettings settings = EngineSettings.from(mapping(Map.of()));

        // Then
        assertThat(settings.kind()).isEqualTo(EngineKind.ORT_CPU);
        assertThat(settings.modelDir()).isEqualTo(Path.of("engines/models/tiny"));
        assertThat(settings.optimizationLevel()).isEqualTo(EngineSettings.OptimizationLevel.ALL);
        // scoring and window: the model's manifest, unless overridden
        assertThat(settings.scoreThreshold()).isEmpty();
        assertThat(settings.topK()).isEmpty();
        assertThat(settings.windowFrames()).isEmpty();
        assertThat(settings.fallbackKind()).isEmpty();
        assertThat(settings.batchMaxSize()).isEqualTo(8);
        assertThat(settings.effectiveThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(settings.tensorrtCacheDir().toString()).endsWith("avis-tensorrt-plans").doesNotContain("${");
    }

    @Test
    void shouldReadEveryKeyInKebabCase() {
        // Given
        Map<String, String> properties = Map.ofEntries(
                Map.entry("avis.engine.kind", "djl-tensorrt"),
                Map.entry("avis.engine.model-dir", "/models/r50"),
                Map.entry("avis.engine.intra-op-threads", "3"),
                Map.entry("avis.engine.optimization-level", "extended"),
                Map.entry("avis.engine.arena", "false"),
                Map.entry("avis.engine.fp16", "false"),
                Map.entry("avis.engine.tensorrt-cache-dir", "/var/cache/plans"),
                Map.entry("avis.engine.device-id", "1"),
                Map.entry("avis.engine.fallback-kind", "ort-cpu"),
                Map.entry("avis.engine.batch.max-size", "16"),
                Map.entry("avis.engine.batch.max-wait", "5ms"),
                Map.entry("avis.engine.score-threshold", "0.5"),
                Map.entry("avis.engine.top-k", "50"),
                Map.entry("avis.engine.window-frames", "4"),
                Map.entry("avis.engine.warm-up", "false"));

        // When
        EngineSettings settings = EngineSettings.from(mapping(properties));

        // Then
        assertThat(settings).isEqualTo(new EngineSettings(EngineKind.DJL_TENSORRT, Path.of("/models/r50"), 3,
                EngineSettings.OptimizationLevel.EXTENDED, false, false, Path.of("/var/cache/plans"), 1,
                Optional.of(EngineKind.ORT_CPU), 16, Duration.ofMillis(5), Optional.of(0.5f), Optional.of(50), Optional.of(4),
                false));
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        assertThatThrownBy(() -> EngineSettings.from(mapping(Map.of("avis.engine.kind", "tensorflow"))))
                .hasMessageStartingWith("avis.engine.kind: unknown engine kind 'tensorflow'");
        assertThatThrownBy(() -> EngineSettings.from(mapping(Map.of("avis.engine.optimization-level", "max"))))
                .hasMessageStartingWith("avis.engine.optimization-level");
        assertThatThrownBy(() -> EngineSettings.from(mapping(Map.of("avis.engine.batch.max-size", "0"))))
                .hasMessageStartingWith("avis.engine.batch.max-size");
        assertThatThrownBy(() -> EngineSettings.from(mapping(Map.of("avis.engine.score-threshold", "1.5"))))
                .hasMessageStartingWith("avis.engine.score-threshold");
    }
}
