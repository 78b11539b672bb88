package io.avisstream.avis.engine;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DJL's TensorRT engine ({@code ai.djl.tensorrt:tensorrt:0.33.0}, built against TensorRT 8.x).
 *
 * <p>Start-up checks, in order, each failing with one sentence: an NVIDIA driver, {@code libnvinfer.so.8}, and
 * DJL's TensorRT JNI library on the classpath ({@code native/lib/tensorrt.properties}; the Maven Central jar bundles
 * {@code libdjl_trt.so} for linux-x86_64, built for TensorRT 8.4; without it DJL would download it at run time,
 * which this service must not do). Each graph is
 * loaded from a plan-cache directory keyed by model hash + GPU + TensorRT version: DJL reads a serialized
 * {@code <graph>.trt} from there when present and otherwise builds from the {@code <graph>.onnx} copied next to it.
 *
 * <p>Limits of DJL 0.33 that matter here (reason the ONNX Runtime TensorRT provider is the GPU path we recommend):
 * its TensorRT session binds fixed input shapes taken from the ONNX file (no dynamic-shape profile API), the
 * builder options it forwards are opaque strings, and it never writes the built plan back to disk itself.
 */
final class DjlTensorRtBackend implements GraphBackend {

    static final String JNI_MARKER = "native/lib/tensorrt.properties";

    private final EngineSettings settings;
    private final GpuProbe probe;
    private final ResourceLedger ledger;
    private final TensorRtPlanCache planCache;

    private DjlTensorRtBackend(EngineSettings settings, GpuProbe probe, ResourceLedger ledger) {
        this.settings = settings;
        this.probe = probe;
        this.ledger = ledger;
        this.planCache = new TensorRtPlanCache(settings.tensorrtCacheDir());
    }

    static DjlTensorRtBackend start(EngineSettings settings, GpuProbe probe, ResourceLedger ledger) {
        requireRuntime(probe, resource -> DjlTensorRtBackend.class.getClassLoader().getResource(resource) != null);
        return new DjlTensorRtBackend(settings, probe, ledger);
    }

    /** The start-up checks, separate so that tests can describe any machine. */
    static void requireRuntime(GpuProbe probe, Predicate<String> classpathHas) {
        String prefix = "Engine djl-tensorrt cannot start: ";
        if (probe.gpuName().isEmpty()) {
            throw new EngineUnavailableException(EngineKind.DJL_TENSORRT, prefix
                    + "no NVIDIA GPU driver is present on this machine (/proc/driver/nvidia/version is missing).");
        }
        if (!probe.nvinfer().containsKey(8)) {
            throw new EngineUnavailableException(EngineKind.DJL_TENSORRT, prefix
                    + "TensorRT 8 is not installed (libnvinfer.so.8 is on neither LD_LIBRARY_PATH nor the system "
                    + "library directories).");
        }
        if (!classpathHas.test(JNI_MARKER)) {
            throw new EngineUnavailableException(EngineKind.DJL_TENSORRT, prefix
                    + "DJL's TensorRT JNI library (" + JNI_MARKER + " and libdjl_trt.so) is not on the classpath, "
                    + "and DJL would otherwise download it at run time, which this service does not allow.");
        }
    }

    @Override
    public String executionProvider() {
        return "DJL TensorRT " + probe.tensorRtVersion(8).orElse("8") + (settings.fp16() ? " fp16" : " fp32") + " on "
                + probe.gpuName().orElse("?");
    }

    TensorRtPlanCache.PlanKey planKey(String graph, Path file, ShapeProfile profile) {
        return new TensorRtPlanCache.PlanKey(graph, TensorRtPlanCache.sha256Hex(file), probe.gpuName().orElse("?"),
                probe.tensorRtVersion(8).orElse("8"), settings.fp16(), profile.describe());
    }

    @Override
    public GraphSession open(String graph, Path file, List<String> inputs, List<String> outputs, ShapeProfile profile) {
        TensorRtPlanCache.PlanKey key = planKey(graph, file, profile);
        Path dir = planCache.ensureDirectory(key);
        try {
            if (!planCache.hasPlan(key)) {
                Files.copy(file, dir.resolve(graph + ".onnx"), StandardCopyOption.REPLACE_EXISTING);
            }
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optEngine("TensorRT")
                    .optDevice(Device.gpu(settings.deviceId()))
                    .optModelPath(dir)
                    .optModelName(graph)
                    .optOption("fp16", Boolean.toString(settings.fp16()))
                    .build();
            ZooModel<NDList, NDList> model = criteria.loadModel();
            ledger.opened("djl-model");
            return new Session(graph, model, inputs, outputs, ledger);
        } catch (IOException | ai.djl.ModelException e) {
            throw new EngineException("graph '" + graph + "': DJL TensorRT cannot load it from " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Models are closed by their sessions.
    }

    /** One DJL model + predictor; DJL predictors are not thread-safe, so calls are serialised. */
    private static final class Session implements GraphSession {
        private final String graph;
        private final List<String> inputs;
        private final List<String> outputs;
        private final ResourceLedger ledger;
        private ZooModel<NDList, NDList> model;
        private Predictor<NDList, NDList> predictor;

        Session(String graph, ZooModel<NDList, NDList> model, List<String> inputs, List<String> outputs,
                ResourceLedger ledger) {
            this.graph = graph;
            this.model = model;
            this.inputs = List.copyOf(inputs);
            this.outputs = List.copyOf(outputs);
            this.ledger = ledger;
            this.predictor = model.newPredictor();
            ledger.opened("djl-predictor");
        }

        @Override
        public String graph() {
            return graph;
        }

        @Override
        public List<String> inputNames() {
            return inputs;
        }

        @Override
        public List<String> outputNames() {
            return outputs;
        }

        @Override
        public synchronized Map<String, HostTensor> run(Map<String, HostTensor> in, Set<String> wanted) {
            if (predictor == null) {
                throw new EngineException("graph '" + graph + "' is closed");
            }
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDList list = new NDList();
                for (String name : inputs) {
                    HostTensor t = in.get(name);
                    if (t == null) {
                        throw new EngineException("graph '" + graph + "' needs input '" + name + "'");
                    }
                    NDArray array = manager.create(t.data(), new Shape(t.shape()));
                    array.setName(name);
                    list.add(array);
                }
                NDList result = predictor.predict(list);
                Map<String, HostTensor> out = new LinkedHashMap<>();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < result.size(); i++) {
                    NDArray array = result.get(i);
                    String name = array.getName() != null ? array.getName() : outputs.get(i);
                    names.add(name);
                    if (wanted.contains(name)) {
                        out.put(name, new HostTensor(array.getShape().getShape(), array.toFloatArray()));
                    }
                }
                if (!out.keySet().containsAll(wanted)) {
                    throw new EngineException("graph '" + graph + "' returned " + names + ", not all of " + wanted);
                }
                return out;
            } catch (ai.djl.translate.TranslateException e) {
                throw new EngineException("graph '" + graph + "' failed in DJL TensorRT: " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (predictor != null) {
                predictor.close();
                predictor = null;
                ledger.closed("djl-predictor");
            }
            if (model != null) {
                model.close();
                model = null;
                ledger.closed("djl-model");
            }
        }
    }
}
