package io.avisstream.avis.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Produces the application's one {@link Engine} from {@code avis.engine.*}: the configured kind (or its fallback),
 * wrapped in {@link BatchingEngine} when {@code batch.max-size > 1}. Closed when the application context ends,
 * i.e. after Kafka Streams has closed (threads joined) on {@code ShutdownEvent}; closing it closes the graphs' sessions,
 * then releases the engine's reference on ONNX Runtime's environment ({@code OrtEnvironmentLease}).
 */
@ApplicationScoped
public class EngineProducer {

    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    @Produces
    @ApplicationScoped
    Engine engine(EngineConfig config) {
        EngineSettings settings = EngineSettings.from(config);
        AcvisEngine engine = EngineFactory.create(settings, new ResourceLedger());
        EngineInfo info = engine.info();
        LOG.infof("engine=%s provider=%s model=%s model_dir=%s queries=%d hidden=%d audio=%d classes=%d window=%d"
                + " batch_max=%d batch_max_wait=%s fresh_masks_from=%s", info.name(), info.executionProvider(),
                info.modelId(), settings.modelDir().toAbsolutePath(), info.numQueries(), info.hiddenDim(),
                info.audioDim(), info.numClasses(), info.windowFrames(), settings.batchMaxSize(),
                settings.batchMaxWait(), engine.freshMaskGraph());
        return settings.batchMaxSize() > 1 ? new BatchingEngine(engine, settings.batchMaxSize(), settings.batchMaxWait())
                : engine;
    }

    void close(@Disposes Engine engine) {
        String name = engine.info().name();
        LOG.infof("closing engine %s", name);
        engine.close();
        LOG.infof("engine %s closed", name);
    }
}
