package io.avisstream.avis.bench;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.engine.EngineConfig;
import io.avisstream.avis.engine.EngineSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code bench [--model DIR] [--frames N] [--threads T] [--batches 1,8] [--no-torch]}: engine latency p50/p99 and frames/s at
 * 360x640 for batch 1 and 8, next to PyTorch eager on the same model config, and the cost of fresh masks between
 * inferences (see {@link EngineBench}).
 */
@ApplicationScoped
public class EngineBenchCommand implements AvisCommand {

    @Inject
    EngineConfig config;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String description() {
        return "engine latency/throughput at 360x640 vs PyTorch eager, fresh-mask cost: bench [--model DIR] [--frames N] [--threads T] [--batches 1,8] [--no-torch]";
    }

    @Override
    public int run(String... args) throws Exception {
        EngineSettings settings = EngineSettings.from(config);
        return EngineBench.run(settings, EngineBench.parse(args, settings.modelDir()), System.out);
    }
}
