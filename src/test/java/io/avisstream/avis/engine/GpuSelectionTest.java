package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPU paths that can be checked without a GPU: provider selection, start-up checks, probe, plan-cache keys. */
class GpuSelectionTest {

    private static final GpuProbe H100_TRT8 = new GpuProbe(Optional.of("NVIDIA H100 80GB HBM3"),
            Map.of(8, Path.of("/usr/lib/x86_64-linux-gnu/libnvinfer.so.8")));

    @Test
    void shouldRefuseCudaWhenTheNativesAreCpuOnly() {
        assertThatThrownBy(() -> OrtBackend.requireProvider(EngineKind.ORT_CUDA, EnumSet.of(OrtProvider.CPU), H100_TRT8))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("offer only [CPU], not CUDA")
                .hasMessageContaining("-Pgpu");
    }

    @Test
    void shouldRefuseTensorRtProviderWithoutAGpuEvenWhenTheNativesHaveIt() {
        assertThatThrownBy(() -> OrtBackend.requireProvider(EngineKind.ORT_TENSORRT,
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), GpuProbe.none()))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("Engine ort-tensorrt cannot start: no NVIDIA GPU driver is present on this machine "
                        + "(/proc/driver/nvidia/version is missing).");
    }

    @Test
    void shouldAcceptTensorRtProviderOnAGpuMachineWithGpuNatives() {
        OrtBackend.requireProvider(EngineKind.ORT_TENSORRT,
                EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT), H100_TRT8);
    }

    @Test
    void shouldNameTheFirstMissingPieceForDjlTensorRt() {
        GpuProbe gpuWithoutTrt = new GpuProbe(Optional.of("NVIDIA A10"), Map.of(10, Path.of("/x/libnvinfer.so.10")));
        assertThatThrownBy(() -> DjlTensorRtBackend.requireRuntime(GpuProbe.none(), r -> true))
                .hasMessageContaining("no NVIDIA GPU driver");
        assertThatThrownBy(() -> DjlTensorRtBackend.requireRuntime(gpuWithoutTrt, r -> true))
                .hasMessageContaining("libnvinfer.so.8");
        assertThatThrownBy(() -> DjlTensorRtBackend.requireRuntime(H100_TRT8, r -> false))
                .hasMessageContaining(DjlTensorRtBackend.JNI_MARKER);
        DjlTensorRtBackend.requireRuntime(H100_TRT8, DjlTensorRtBackend.JNI_MARKER::equals);
    }

    @Test
    void shouldFindGpuModelAndTensorRtVersionsFromDriverFilesAndLibraries(@TempDir Path root) throws Exception {
        // Given
        Path proc = root.resolve("proc/driver/nvidia");
        Files.createDirectories(proc.resolve("gpus/0000:01:00.0"));
        Files.writeString(proc.resolve("version"), "NVRM version: 550.54\n");
        Files.writeString(proc.resolve("gpus/0000:01:00.0/information"), "Model: \t NVIDIA H100 80GB HBM3\nIRQ: 1\n");
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.writeString(lib.resolve("libnvinfer.so.8.6.1"), "elf");
        Files.createSymbolicLink(lib.resolve("libnvinfer.so.8"), lib.resolve("libnvinfer.so.8.6.1"));

        // When
        GpuProbe probe = GpuProbe.detect(proc, List.of(root.resolve("missing"), lib));
        GpuProbe none = GpuProbe.detect(root.resolve("no-driver"), List.of(lib.resolve("nothing")));

        // Then
        assertThat(probe.gpuName()).contains("NVIDIA H100 80GB HBM3");
        assertThat(probe.tensorRtVersion(8)).contains("8.6.1");
        assertThat(probe.tensorRtVersion(10)).isEmpty();
        assertThat(none).isEqualTo(GpuProbe.none());
    }

    @Test
    void shouldKeyPlansByModelHashGpuTensorRtVersionPrecisionAndProfile(@TempDir Path root) throws Exception {
        // Given
        TensorRtPlanCache cache = new TensorRtPlanCache(root);
        TensorRtPlanCache.PlanKey key = new TensorRtPlanCache.PlanKey("frame", "ab".repeat(32), "NVIDIA H100 80GB HBM3",
                "8.6.1", true, "min=image:1x3x64x64");
        List<TensorRtPlanCache.PlanKey> variants = List.of(
                new TensorRtPlanCache.PlanKey("frame", "cd".repeat(32), key.gpu(), "8.6.1", true, key.profile()),
                new TensorRtPlanCache.PlanKey("frame", key.graphSha256(), "NVIDIA A10", "8.6.1", true, key.profile()),
                new TensorRtPlanCache.PlanKey("frame", key.graphSha256(), key.gpu(), "8.5.3", true, key.profile()),
                new TensorRtPlanCache.PlanKey("frame", key.graphSha256(), key.gpu(), "8.6.1", false, key.profile()),
                new TensorRtPlanCache.PlanKey("frame", key.graphSha256(), key.gpu(), "8.6.1", true, "min=image:1x3x32x32"));

        // When
        Path dir = cache.directory(key);
        boolean before = cache.hasPlan(key);
        Files.write(cache.ensureDirectory(key).resolve("frame.engine"), new byte[] {1, 2, 3});

        // Then
        assertThat(dir.getFileName().toString()).matches("frame-abababababab-nvidia_h100_80gb_hbm3-trt8.6.1-fp16-[0-9a-f]{16}");
        assertThat(cache.directory(new TensorRtPlanCache.PlanKey("frame", "ab".repeat(32), "NVIDIA H100 80GB HBM3",
                "8.6.1", true, "min=image:1x3x64x64"))).isEqualTo(dir);
        assertThat(variants).extracting(cache::directory).doesNotContain(dir).doesNotHaveDuplicates();
        assertThat(before).isFalse();
        assertThat(cache.hasPlan(key)).isTrue();
        assertThat(variants).noneMatch(cache::hasPlan);
    }

    @Test
    void shouldRenderProfilesInOnnxRuntimeSyntaxInInsertionOrder() {
        EngineInfo dims = new EngineInfo("ort-tensorrt", "TensorRT", "m", 100, 256, 128, 26, 6);
        ShapeProfiles profiles = ShapeProfiles.forModel(dims, 8, 100);
        assertThat(profiles.of("frame").minShapes()).isEqualTo("image:1x3x64x64,audio_features:1x128");
        assertThat(profiles.of("frame").optShapes()).isEqualTo("image:8x3x360x640,audio_features:8x128");
        assertThat(profiles.of("video").maxShapes()).isEqualTo("frame_queries:6x100x256,audio_features:6x128");
        assertThat(profiles.of("masks").maxShapes()).isEqualTo("mask_embed:100x256,mask_features:1x256x336x336");
    }

    @Test
    void shouldParseKindsAndNameTheKeyOfAnInvalidSetting() {
        assertThat(EngineKind.parse("djl-tensorrt")).isEqualTo(EngineKind.DJL_TENSORRT);
        assertThat(EngineKind.parse("ORT_CUDA")).isEqualTo(EngineKind.ORT_CUDA);
        assertThatThrownBy(() -> EngineKind.parse("onnx")).hasMessageContaining("ort-cpu, ort-cuda");
        EngineSettings defaults = EngineSettings.defaults(Path.of("m"));
        assertThatThrownBy(() -> defaults.withKind(EngineKind.ORT_CPU, Optional.of(EngineKind.ORT_CPU)))
                .hasMessageContaining("avis.engine.fallback-kind");
        assertThatThrownBy(() -> defaults.withScoring(0, 0.3f)).hasMessageContaining("avis.engine.top-k");
    }
}
