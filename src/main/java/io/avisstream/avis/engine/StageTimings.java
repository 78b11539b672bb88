package io.avisstream.avis.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative time per stage (as DJL's Predictor records Preprocess / Inference / Postprocess): where an engine
 * call spends its time, for the bench and for metrics.
 */
public final class StageTimings {

    /** The three stages of every engine call. */
    public enum Stage {
        PREPROCESS, INFERENCE, POSTPROCESS
    }

    private final LongAdder[] nanos = {new LongAdder(), new LongAdder(), new LongAdder()};

    void add(Stage stage, long elapsedNanos) {
        nanos[stage.ordinal()].add(elapsedNanos);
    }

    /** Total microseconds spent in a stage so far. */
    public long micros(Stage stage) {
        return nanos[stage.ordinal()].sum() / 1_000;
    }

    public void reset() {
        for (LongAdder adder : nanos) {
            adder.reset();
        }
    }
}
