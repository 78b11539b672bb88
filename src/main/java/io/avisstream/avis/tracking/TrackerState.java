package io.avisstream.avis.tracking;

import java.util.List;

/**
 * Per-stream state of the tracker: the track table and its clock. Persisted in the tracker store after every
 * inferred frame (with the sampling clock and the model's window, see {@code InferenceStateCodec}).
 *
 * @param nextTrackId id the next new track gets (monotonic, never reused)
 * @param frameIndex inferred frames processed so far (the tracker's clock for max-age)
 * @param tracks live tracks, by id
 */
public record TrackerState(long nextTrackId, long frameIndex, List<Track> tracks) {
    private static final TrackerState INITIAL = new TrackerState(1, 0, List.of());

    public TrackerState {
        if (nextTrackId < 1) {
            throw new IllegalArgumentException("nextTrackId must be >= 1");
        }
        tracks = List.copyOf(tracks);
    }

    public static TrackerState initial() {
        return INITIAL;
    }
}
