package io.avisstream.avis.topology;

import io.avisstream.avis.engine.StreamWindow;
import io.avisstream.avis.tracking.TrackerState;

/**
 * What the inference step keeps per stream in the tracker store, one part per owner: the sampling clock (this
 * step), the model's window (the engine side) and the track table (the tracker).
 */
public record InferenceState(SamplingClock clock, StreamWindow window, TrackerState tracker) {
    private static final InferenceState INITIAL = new InferenceState(SamplingClock.initial(), StreamWindow.empty(),
            TrackerState.initial());

    public InferenceState {
        if (clock == null || window == null || tracker == null) {
            throw new IllegalArgumentException("clock, window and tracker state are required");
        }
    }

    /** A stream's state before its first frame. */
    public static InferenceState initial() {
        return INITIAL;
    }
}
