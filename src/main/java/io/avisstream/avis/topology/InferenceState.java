package io.avisstream.avis.topology;

import io.avisstream.avis.engine.StreamWindow;
import io.avisstream.avis.tracking.TrackerState;

/**
 * What the inference step keeps per stream in the tracker store, one part per owner: the sampling clock and the
 * source of fresh masks (this step), the model's window (the engine side) and the track table (the tracker).
 */
public record InferenceState(SamplingClock clock, StreamWindow window, TrackerState tracker, MaskSource masks) {
    private static final InferenceState INITIAL = new InferenceState(SamplingClock.initial(), StreamWindow.empty(),
            TrackerState.initial(), MaskSource.none());

    public InferenceState {
        if (clock == null || window == null || tracker == null || masks == null) {
            throw new IllegalArgumentException("clock, window, tracker state and mask source are required");
        }
    }

    /** A state without a mask source (as stored before fresh masks). */
    public InferenceState(SamplingClock clock, StreamWindow window, TrackerState tracker) {
        this(clock, window, tracker, MaskSource.none());
    }

    /** A stream's state before its first frame. */
    public static InferenceState initial() {
        return INITIAL;
    }
}
