package io.avisstream.avis.eval;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.avisstream.avis.AvisCommand;

/** {@code evaluate}: the official AVISeg metrics (mAP, HOTA, FSLA) of a results file or of masks records. */
@ApplicationScoped
public class EvaluateCommand implements AvisCommand {
    private static final Logger LOG = Logger.getLogger(EvaluateCommand.class);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String description() {
        return "official AVISeg metrics (mAP, HOTA, FSLA) of a results file or masks records: evaluate --gt GT.json --results RESULTS.json [--out METRICS.json] [--detail] (more: README \"Evaluate\")";
    }

    @Override
    public int run(String... args) {
        return EvaluateRun.run(EvaluateOptions.parse(args), System.out, LOG::error);
    }
}
