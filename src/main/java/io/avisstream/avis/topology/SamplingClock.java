package io.avisstream.avis.topology;

import java.util.Optional;

/**
 * Which frames of a stream the inference step runs the engine on: one per slot of a pts grid of
 * {@code avis.inference.fps}, anchored at the stream's first frame (so that frame is always inferred). Owned by
 * the inference step; kept per stream in the tracker store.
 *
 * @param anchorPts pts of the stream's first frame (the grid's origin), -1 before the first frame
 * @param lastSampledSlot index of the last sampled slot of the grid, -1 before the first sampled frame (and always
 *        when every frame is inferred)
 */
public record SamplingClock(long anchorPts, long lastSampledSlot) {
    private static final SamplingClock INITIAL = new SamplingClock(-1, -1);
    /** Half a millisecond of pts jitter still counts as the slot's start. */
    private static final long JITTER_MICROS = 500;

    public static SamplingClock initial() {
        return INITIAL;
    }

    /**
     * The clock after a frame at {@code pts} when that frame is sampled, empty when it is not.
     *
     * @param periodMicros microseconds between sampled frames; 0 = every frame is sampled
     */
    public Optional<SamplingClock> sample(long pts, long periodMicros) {
        long anchor = anchorPts < 0 ? pts : anchorPts;
        if (periodMicros == 0) {
            // Every frame: no slot to remember (a slot of Long.MAX_VALUE stored once would stop sampling forever).
            return Optional.of(new SamplingClock(anchor, -1));
        }
        long slot = Math.floorDiv(pts - anchor + JITTER_MICROS, periodMicros);
        return slot > lastSampledSlot ? Optional.of(new SamplingClock(anchor, slot)) : Optional.empty();
    }

    /**
     * Whether a frame at {@code pts} opens a new slot of a second grid ({@code avis.inference.mask-fps}), anchored like
     * this one, after a frame at {@code previousPts}: the first frame of each slot gets fresh masks. Needs no state of
     * its own: the caller passes the pts of the last frame whose masks were computed.
     */
    public boolean newSlot(long pts, long previousPts, long periodMicros) {
        if (anchorPts < 0) {
            return false;
        }
        return Math.floorDiv(pts - anchorPts + JITTER_MICROS, periodMicros)
                > Math.floorDiv(previousPts - anchorPts + JITTER_MICROS, periodMicros);
    }
}
