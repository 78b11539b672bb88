package io.avisstream.avis.tracking;

import java.util.List;

/**
 * Per-stream tracker state, persisted in the tracker store after every inferred frame.
 *
 * @param nextTrackId id the next new track gets (monotonic, never reused)
 * @param frameIndex inferred frames processed so far (the tracker's clock for max-age)
 * @param history the last W-1 inferred frames (oldest first)
 * @param tracks live tracks, by id
 * @param anchorPts pts of the stream's first frame (the sampling grid's origin), -1 before the first frame
 * @param lastSampledSlot index of the last sampled slot of the grid, -1 before the first sampled frame
 */
public record TrackerState(long nextTrackId, long frameIndex, List<PastFrame> history, List<Track> tracks,
        long anchorPts, long lastSampledSlot) {
    public TrackerState {
        if (nextTrackId < 1) {
            throw new IllegalArgumentException("nextTrackId must be >= 1");
        }
        history = List.copyOf(history);
        tracks = List.copyOf(tracks);
    }

    public static TrackerState initial() {
        return new TrackerState(1, 0, List.of(), List.of(), -1, -1);
    }

    public TrackerState withSampling(long anchorPts, long lastSampledSlot) {
        return new TrackerState(nextTrackId, frameIndex, history, tracks, anchorPts, lastSampledSlot);
    }
}
