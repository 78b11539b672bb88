package io.avisstream.avis.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.avisstream.avis.message.AvisClasses;

/**
 * The model's own constants, read from the {@code manifest.json} that {@code engines/acvis/export.py} writes next
 * to the graphs ({@code engines/CONTRACT.md}): the Java side does not repeat them. The {@code avis.engine.*} keys of
 * the same meaning override them when set.
 *
 * @param numClasses object classes without "no object" ({@code num_classes})
 * @param windowFrames W, frames the video graph was exported for ({@code window_size})
 * @param topK (query, class) pairs kept before mask scoring ({@code test_topk})
 * @param scoreThreshold lowest final score kept ({@code test_score_threshold})
 * @param classNames class names in label order ({@code class_names}; when the manifest has none,
 *        {@link AvisClasses#namesFor})
 */
public record ModelManifest(int numClasses, int windowFrames, int topK, float scoreThreshold, List<String> classNames) {
    public static final String FILE = "manifest.json";

    public ModelManifest {
        if (numClasses <= 0 || windowFrames <= 0 || topK <= 0) {
            throw new IllegalArgumentException("manifest: num_classes, window_size and test_topk must be positive");
        }
        if (scoreThreshold < 0f || scoreThreshold >= 1f) {
            throw new IllegalArgumentException("manifest: test_score_threshold must be in [0, 1), got " + scoreThreshold);
        }
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException("manifest: " + classNames.size() + " class names for " + numClasses
                    + " classes");
        }
        classNames = List.copyOf(classNames);
    }

    /** Reads {@code dir/manifest.json}; fails with the file and the missing field. */
    public static ModelManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new EngineException("cannot read the model manifest " + file.toAbsolutePath()
                    + " (avis.engine.model-dir; engines/acvis/export.py writes it next to the graphs)", e);
        }
        int numClasses = required(root, "num_classes", file).asInt();
        List<String> names = new ArrayList<>();
        JsonNode listed = root.get("class_names");
        if (listed != null && listed.isArray()) {
            listed.forEach(n -> names.add(n.asText()));
        } else {
            names.addAll(AvisClasses.namesFor(numClasses));
        }
        return new ModelManifest(numClasses, required(root, "window_size", file).asInt(),
                required(root, "test_topk", file).asInt(), (float) required(root, "test_score_threshold", file).asDouble(),
                names);
    }

    private static JsonNode required(JsonNode root, String field, Path file) {
        return Optional.ofNullable(root.get(field)).filter(JsonNode::isNumber).orElseThrow(
                () -> new EngineException("model manifest " + file.toAbsolutePath() + " has no numeric '" + field + "'"));
    }
}
