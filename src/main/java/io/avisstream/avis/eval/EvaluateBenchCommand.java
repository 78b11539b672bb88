package io.avisstream.avis.eval;

import jakarta.enterprise.context.ApplicationScoped;

import io.avisstream.avis.AvisCommand;

/** {@code evaluate-bench}: evaluation speed on a synthetic AVISeg-test-sized set (see {@link EvaluateBench}). */
@ApplicationScoped
public class EvaluateBenchCommand implements AvisCommand {

    @Override
    public String name() {
        return "evaluate-bench";
    }

    @Override
    public String description() {
        return "time evaluate on a synthetic test-sized set: evaluate-bench [--videos 100] [--frames 60] [--tracks 20] [--repeats 3]";
    }

    @Override
    public int run(String... args) throws Exception {
        return EvaluateBench.run(EvaluateBench.Options.parse(args), System.out);
    }
}
