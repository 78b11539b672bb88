package io.avisstream.avis.ingest;

/**
 * The outgoing stream's clock: the source's timestamps (microseconds from the start of each connection or file
 * pass, {@link MediaReader}) placed on one timeline that starts at a base and only moves forward. A reconnect or
 * a {@code --loop} pass starts a new segment after the last frame, by the wall-clock time the source was away
 * (at least one frame interval), so pts never go back across segments. Items that would go back within a
 * segment are refused and counted.
 */
public final class PtsTimeline {

    private final long minStepMicros;
    private long segmentBase;
    private long lastFrame = Long.MIN_VALUE;
    private long audioEnd = Long.MIN_VALUE;
    private long refused;

    /**
     * @param baseMicros pts of the first segment's time zero
     * @param minStepMicros smallest gap between the last frame of a segment and the next segment's start
     */
    public PtsTimeline(long baseMicros, long minStepMicros) {
        this.segmentBase = baseMicros;
        this.minStepMicros = Math.max(1, minStepMicros);
    }

    /** Starts a new segment (reconnect, next loop pass); {@code awayMicros} is how long no media arrived. */
    public void newSegment(long awayMicros) {
        long end = Math.max(lastFrame, audioEnd);
        if (end != Long.MIN_VALUE) {
            segmentBase = end + Math.max(minStepMicros, awayMicros);
        }
    }

    /** The outgoing pts of a frame, or -1 when it would not move the clock forward (refused). */
    public long frame(long sourceMicros) {
        long pts = segmentBase + Math.max(0, sourceMicros);
        if (lastFrame != Long.MIN_VALUE && pts <= lastFrame) {
            refused++;
            return -1;
        }
        lastFrame = pts;
        return pts;
    }

    /** The outgoing start of an audio chunk, or -1 when it would overlap audio already sent (refused). */
    public long audio(long sourceStartMicros, long durationMicros) {
        long start = segmentBase + Math.max(0, sourceStartMicros);
        if (audioEnd != Long.MIN_VALUE && start < audioEnd) {
            refused++;
            return -1;
        }
        audioEnd = start + durationMicros;
        return start;
    }

    /** Pts of the last frame accepted, or {@code Long.MIN_VALUE}. */
    public long lastFrame() {
        return lastFrame;
    }

    /** Items refused because their time went backwards. */
    public long refused() {
        return refused;
    }
}
