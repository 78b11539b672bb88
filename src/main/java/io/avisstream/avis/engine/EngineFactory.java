package io.avisstream.avis.engine;

import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the configured engine kind, or the configured fallback when the kind cannot run here. Free of CDI so
 * that tests and the bench command build engines the same way the service does.
 */
public final class EngineFactory {

    private static final Logger LOG = Logger.getLogger(EngineFactory.class);

    private EngineFactory() {
    }

    public static AcvisEngine create(EngineSettings settings, ResourceLedger ledger) {
        return create(settings, ledger, GpuProbe.detect());
    }

    static AcvisEngine create(EngineSettings settings, ResourceLedger ledger, GpuProbe probe) {
        try {
            return createKind(settings, ledger, probe);
        } catch (EngineUnavailableException e) {
            Optional<EngineKind> fallback = settings.fallbackKind();
            if (fallback.isEmpty()) {
                throw e;
            }
            LOG.warnf("%s Starting %s instead (avis.engine.fallback-kind).", e.getMessage(), fallback.get().id());
            return createKind(settings.withKind(fallback.get(), Optional.empty()), ledger, probe);
        }
    }

    private static AcvisEngine createKind(EngineSettings settings, ResourceLedger ledger, GpuProbe probe) {
        return switch (settings.kind()) {
            case ORT_CPU, ORT_CUDA -> AcvisEngine.open(settings, OrtBackend.start(settings, ledger, probe),
                    ShapeProfiles.none());
            case ORT_TENSORRT -> {
                OrtBackend backend = OrtBackend.start(settings, ledger, probe);
                yield AcvisEngine.open(settings, backend, profiles(settings, ledger, probe));
            }
            case DJL_TENSORRT -> {
                DjlTensorRtBackend backend = DjlTensorRtBackend.start(settings, probe, ledger);
                yield AcvisEngine.open(settings, backend, profiles(settings, ledger, probe));
            }
        };
    }

    /** TensorRT profiles need the model's dimensions: read them once through a CPU session. */
    private static ShapeProfiles profiles(EngineSettings settings, ResourceLedger ledger, GpuProbe probe) {
        EngineSettings cpu = settings.withKind(EngineKind.ORT_CPU, Optional.empty()).withWarmUp(false);
        try (AcvisEngine probeEngine = AcvisEngine.open(cpu, OrtBackend.start(cpu, ledger, probe), ShapeProfiles.none())) {
            return ShapeProfiles.forModel(probeEngine.info(), settings.batchMaxSize(), probeEngine.topK());
        }
    }
}
