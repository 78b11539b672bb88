package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed tiny export ({@code engines/models/tiny}, written by {@code python3 -m acvis.export --config tiny}).
 * {@code -Davis.test.model-dir=DIR} points the tests at another export of the same contract.
 */
final class TinyModel {

    private TinyModel() {
    }

    static Path dir() {
        Path dir = Path.of(System.getProperty("avis.test.model-dir", "engines/models/tiny"));
        assertThat(dir.resolve("frame.onnx")).as("tiny export (engines/models/tiny from branch engines)")
                .satisfies(p -> assertThat(Files.isRegularFile(p)).isTrue());
        return dir;
    }

    /** CPU settings for tests: 2 threads (shared CI machines), no warm-up unless a test asks for it. */
    static EngineSettings settings() {
        return EngineSettings.defaults(dir()).withThreads(2).withWarmUp(false);
    }
}
