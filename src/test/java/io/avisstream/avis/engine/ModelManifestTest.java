package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.message.AvisClasses;

class ModelManifestTest {

    @Test
    void shouldReadTheModelConstantsOfTheBundledModel() {
        // When
        ModelManifest manifest = ModelManifest.read(TinyModel.dir());

        // Then the official inference's constants, as the export wrote them
        assertThat(manifest.numClasses()).isEqualTo(26);
        assertThat(manifest.windowFrames()).isEqualTo(6);
        assertThat(manifest.topK()).isEqualTo(100);
        assertThat(manifest.scoreThreshold()).isEqualTo(0.3f);
        assertThat(manifest.classNames()).isEqualTo(AvisClasses.NAMES);
    }

    @Test
    void shouldPreferTheClassNamesTheManifestLists(@TempDir Path dir) throws IOException {
        // Given
        Files.writeString(dir.resolve(ModelManifest.FILE), """
                {"num_classes": 2, "window_size": 3, "test_topk": 10, "test_score_threshold": 0.5,
                 "class_names": ["drum", "bell"]}
                """);

        // When
        ModelManifest manifest = ModelManifest.read(dir);

        // Then
        assertThat(manifest).isEqualTo(new ModelManifest(2, 3, 10, 0.5f, java.util.List.of("drum", "bell")));
    }

    @Test
    void shouldNameTheMissingFieldOrFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ModelManifest.read(dir)).hasMessageContaining("manifest.json");
        Files.writeString(dir.resolve(ModelManifest.FILE), "{\"num_classes\": 26}");
        assertThatThrownBy(() -> ModelManifest.read(dir)).hasMessageContaining("window_size");
    }

    @Test
    void shouldApplyTheManifestUnlessASettingOverridesIt() {
        // Given the tiny model with only the threshold overridden
        EngineSettings settings = TinyModel.settings().withWarmUp(false);

        // When
        try (AcvisEngine engine = EngineFactory.create(settings.withScoring(7, 0.5f), new ResourceLedger());
                AcvisEngine plain = EngineFactory.create(settings, new ResourceLedger())) {
            // Then
            assertThat(plain.topK()).isEqualTo(100);
            assertThat(plain.scoreThreshold()).isEqualTo(0.3f);
            assertThat(plain.info().windowFrames()).isEqualTo(6);
            assertThat(plain.info().className(1)).isEqualTo("violin");
            assertThat(engine.topK()).isEqualTo(7);
            assertThat(engine.scoreThreshold()).isEqualTo(0.5f);
        }
    }
}
