package io.avisstream.avis.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What this machine offers a GPU engine, found without loading any native library: the NVIDIA driver's
 * {@code /proc} entries, the GPU model name, and where {@code libnvinfer.so.8} (TensorRT 8, for DJL) and {@code libnvinfer.so.10} (TensorRT 10, for ONNX Runtime) lives.
 * The file-system roots are parameters so tests can describe a machine with a GPU.
 */
public record GpuProbe(Optional<String> gpuName, java.util.Map<Integer, Path> nvinfer) {

    /** TensorRT majors looked for: 8 (DJL 0.33) and 10 (ONNX Runtime 1.23's TensorRT provider). */
    static final List<Integer> TENSORRT_MAJORS = List.of(8, 10);

    /** A machine with neither GPU nor TensorRT. */
    public static GpuProbe none() {
        return new GpuProbe(Optional.empty(), java.util.Map.of());
    }

    /** Full TensorRT version of the given major (e.g. 8.6.1), when that library was found. */
    public Optional<String> tensorRtVersion(int major) {
        return Optional.ofNullable(nvinfer.get(major)).map(GpuProbe::versionOf);
    }

    /** Probes the real machine. */
    public static GpuProbe detect() {
        return detect(Path.of("/proc/driver/nvidia"), libraryDirs());
    }

    static GpuProbe detect(Path nvidiaProc, List<Path> libraryDirs) {
        Optional<String> gpu = Optional.empty();
        if (Files.isRegularFile(nvidiaProc.resolve("version"))) {
            gpu = Optional.of(firstGpuModel(nvidiaProc.resolve("gpus")).orElse("unknown NVIDIA GPU"));
        }
        java.util.Map<Integer, Path> libs = new java.util.TreeMap<>();
        for (int major : TENSORRT_MAJORS) {
            for (Path dir : libraryDirs) {
                Path candidate = dir.resolve("libnvinfer.so." + major);
                if (Files.exists(candidate)) {
                    libs.put(major, candidate);
                    break;
                }
            }
        }
        return new GpuProbe(gpu, java.util.Map.copyOf(libs));
    }

    private static Optional<String> firstGpuModel(Path gpus) {
        if (!Files.isDirectory(gpus)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(gpus)) {
            for (Path dir : dirs.sorted().toList()) {
                Path info = dir.resolve("information");
                if (Files.isRegularFile(info)) {
                    for (String line : Files.readAllLines(info)) {
                        if (line.startsWith("Model:")) {
                            return Optional.of(line.substring("Model:".length()).trim());
                        }
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** {@code libnvinfer.so.8 -> libnvinfer.so.8.6.1} gives 8.6.1; an unresolvable link gives the file's own suffix. */
    static String versionOf(Path nvinfer) {
        String prefix = "libnvinfer.so.";
        String name = nvinfer.getFileName().toString();
        try {
            name = nvinfer.toRealPath().getFileName().toString();
        } catch (IOException e) {
            // keep the link's own name
        }
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    private static List<Path> libraryDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String dir : ld.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/cuda/lib64",
                "/usr/local/tensorrt/lib", "/opt/tensorrt/lib")) {
            dirs.add(Path.of(dir));
        }
        return new ArrayList<>(dirs);
    }
}
