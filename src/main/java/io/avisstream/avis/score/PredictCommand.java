package io.avisstream.avis.score;

import jakarta.enterprise.context.ApplicationScoped;

import io.avisstream.avis.AvisCommand;

/** {@code predict}: the Java engine over every video of a split, offline-exact or through the live topology. */
@ApplicationScoped
public class PredictCommand implements AvisCommand {
    static final int EXIT_USAGE = 64;

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String description() {
        return "run a model over a split, offline-exact (results.json) or live through the topology (masks.jsonl): "
                + PredictOptions.USAGE;
    }

    @Override
    public int run(String... args) throws Exception {
        PredictOptions options;
        try {
            options = PredictOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.out.println("predict: " + e.getMessage());
            return EXIT_USAGE;
        }
        Predict.Summary summary = Predict.run(options);
        System.out.println(summary.describe());
        return 0;
    }
}
