package io.avisstream.avis.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where the serialized TensorRT plan of one graph lives. The key covers everything that invalidates a plan:
 * the graph's SHA-256, the GPU model, the TensorRT version, the precision and the dynamic-shape profile, so a
 * restart on the same machine reuses the plan and any change builds a new one next to it.
 */
public final class TensorRtPlanCache {

    /**
     * Identity of one plan.
     *
     * @param graph contract graph name
     * @param graphSha256 SHA-256 of the ONNX file (hex)
     * @param gpu GPU model name as the driver reports it
     * @param tensorRtVersion TensorRT library version
     * @param fp16 whether fp16 kernels are allowed
     * @param profile the optimisation profile, min/opt/max shapes per input
     */
    public record PlanKey(String graph, String graphSha256, String gpu, String tensorRtVersion, boolean fp16,
            String profile) {

        /** Stable, file-system-safe name: readable prefix plus a digest of every field. */
        public String directoryName() {
            String text = String.join("\n", graph, graphSha256, gpu, tensorRtVersion, fp16 ? "fp16" : "fp32", profile);
            String digest = sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            return graph + "-" + graphSha256.substring(0, Math.min(12, graphSha256.length())) + "-" + slug(gpu) + "-trt"
                    + slug(tensorRtVersion) + (fp16 ? "-fp16" : "-fp32") + "-" + digest;
        }

        private static String slug(String text) {
            return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "_").replaceAll("^_+|_+$", "");
        }
    }

    private final Path root;

    public TensorRtPlanCache(Path root) {
        this.root = root;
    }

    /** The directory of a plan (not created). */
    public Path directory(PlanKey key) {
        return root.resolve(key.directoryName());
    }

    /** The directory of a plan, created if needed. */
    public Path ensureDirectory(PlanKey key) {
        Path dir = directory(key);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EngineException("cannot create the TensorRT plan cache " + dir + " (avis.engine.tensorrt-cache-dir)",
                    e);
        }
        return dir;
    }

    /** Whether a serialized plan already exists for the key (any non-empty {@code *.engine} or {@code *.trt} file). */
    public boolean hasPlan(PlanKey key) {
        Path dir = directory(key);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                try {
                    return (name.endsWith(".engine") || name.endsWith(".trt")) && Files.size(f) > 0;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String sha256Hex(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new EngineException("cannot read " + file + " to hash it", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
