package io.avisstream.avis.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * ONNX Runtime with the CPU, CUDA or TensorRT execution provider. Session options are tuned for latency:
 * optimisation level from config (ALL by default), intra-op threads = cores, one inter-op thread, sequential
 * execution, memory-pattern planning and (optionally) the CPU arena.
 */
final class OrtBackend implements GraphBackend {
    private static final Logger LOG = Logger.getLogger(OrtBackend.class);

    private final EngineSettings settings;
    private final OrtEnvironment environment;
    /** Our reference on the native environment: ORT's own shutdown hook cannot free it under a run (see the class). */
    private final OrtEnvironmentLease lease;
    /** Sessions opened here whose native session is not closed yet (a close that timed out leaves one open). */
    private final AtomicInteger openSessions = new AtomicInteger();
    private final ResourceLedger ledger;
    private final GpuProbe probe;
    private final TensorRtPlanCache planCache;

    private OrtBackend(EngineSettings settings, OrtEnvironment environment, ResourceLedger ledger, GpuProbe probe) {
        this.settings = settings;
        this.environment = environment;
        this.ledger = ledger;
        this.probe = probe;
        this.planCache = new TensorRtPlanCache(settings.tensorrtCacheDir());
        this.lease = OrtEnvironmentLease.acquire(environment);
        if (lease.held()) {
            ledger.opened("ort-env-lease");
        }
    }

    /** Checks that the configured execution provider exists in the loaded natives; fails with one sentence if not. */
    static OrtBackend start(EngineSettings settings, ResourceLedger ledger, GpuProbe probe) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        requireProvider(settings.kind(), available, probe);
        return new OrtBackend(settings, environment, ledger, probe);
    }

    /** The selection rule, separate so it can be tested without GPU natives. */
    static void requireProvider(EngineKind kind, EnumSet<OrtProvider> available, GpuProbe probe) {
        OrtProvider needed = switch (kind) {
            case ORT_CPU -> OrtProvider.CPU;
            case ORT_CUDA -> OrtProvider.CUDA;
            case ORT_TENSORRT -> OrtProvider.TENSOR_RT;
            case DJL_TENSORRT -> throw new IllegalArgumentException("djl-tensorrt is not an ONNX Runtime engine");
        };
        if (!available.contains(needed)) {
            throw new EngineUnavailableException(kind, "Engine " + kind.id() + " cannot start: the ONNX Runtime natives "
                    + "on the classpath offer only " + available + ", not " + needed
                    + " (build with -Pgpu for the onnxruntime_gpu artifact, on a machine with CUDA 12 and cuDNN 9"
                    + (kind == EngineKind.ORT_TENSORRT ? " and TensorRT 10" : "") + ").");
        }
        if (kind.usesGpu() && probe.gpuName().isEmpty()) {
            throw new EngineUnavailableException(kind, "Engine " + kind.id() + " cannot start: no NVIDIA GPU driver is "
                    + "present on this machine (/proc/driver/nvidia/version is missing).");
        }
    }

    @Override
    public String executionProvider() {
        return switch (settings.kind()) {
            case ORT_CPU -> "CPU (" + settings.effectiveThreads() + " threads, opt " + settings.optimizationLevel() + ")";
            case ORT_CUDA -> "CUDA:" + settings.deviceId();
            case ORT_TENSORRT -> "TensorRT" + (settings.fp16() ? " fp16" : " fp32") + " + CUDA:" + settings.deviceId();
            case DJL_TENSORRT -> throw new IllegalStateException();
        };
    }

    @Override
    public GraphSession open(String graph, Path file, List<String> inputs, List<String> outputs, ShapeProfile profile) {
        try (OrtSession.SessionOptions options = options(graph, file, profile)) {
            // Counted down when the native session is closed (also when the constructor fails).
            openSessions.incrementAndGet();
            return new OrtGraphSession(graph, file, environment, options, inputs, outputs, ledger,
                    openSessions::decrementAndGet);
        } catch (OrtException e) {
            throw new EngineException("graph '" + graph + "': invalid ONNX Runtime session options: " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions options(String graph, Path file, ShapeProfile profile) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(switch (settings.optimizationLevel()) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        options.setIntraOpNumThreads(settings.effectiveThreads());
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setMemoryPatternOptimization(true);
        options.setCPUArenaAllocator(settings.arena());
        // Spinning worker threads burn the cores the stream threads and the other graphs need between calls.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        if (settings.kind() == EngineKind.ORT_TENSORRT) {
            OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(settings.deviceId());
            TensorRtPlanCache.PlanKey key = planKey(graph, file, profile);
            Path dir = planCache.ensureDirectory(key);
            trt.add("trt_fp16_enable", settings.fp16() ? "1" : "0");
            trt.add("trt_engine_cache_enable", "1");
            trt.add("trt_engine_cache_path", dir.toString());
            trt.add("trt_timing_cache_enable", "1");
            trt.add("trt_timing_cache_path", dir.toString());
            if (!profile.isEmpty()) {
                trt.add("trt_profile_min_shapes", profile.minShapes());
                trt.add("trt_profile_opt_shapes", profile.optShapes());
                trt.add("trt_profile_max_shapes", profile.maxShapes());
            }
            options.addTensorrt(trt);
        }
        if (settings.kind() == EngineKind.ORT_TENSORRT || settings.kind() == EngineKind.ORT_CUDA) {
            options.addCUDA(new OrtCUDAProviderOptions(settings.deviceId()));
        }
        return options;
    }

    TensorRtPlanCache.PlanKey planKey(String graph, Path file, ShapeProfile profile) {
        return new TensorRtPlanCache.PlanKey(graph, TensorRtPlanCache.sha256Hex(file),
                probe.gpuName().orElse("no-gpu"), probe.tensorRtVersion(10).orElse("10"),
                settings.fp16(), profile.describe());
    }

    /**
     * Releases this backend's reference on the ONNX Runtime environment, after the engine closed its sessions (the
     * last step of shutdown: Kafka Streams, then the sessions, then the environment). A session whose run did not end
     * in time is still open: then the environment stays held until the process exits, never freed under that run.
     */
    @Override
    public void close() {
        int open = openSessions.get();
        if (open > 0) {
            LOG.warnf("%d ONNX Runtime session(s) still in use: the ONNX Runtime environment is left to the process exit",
                    open);
            return;
        }
        if (lease.held()) {
            lease.release();
            ledger.closed("ort-env-lease");
            LOG.debug("ONNX Runtime environment reference released");
        }
    }
}
