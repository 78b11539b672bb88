package io.avisstream.avis.ingest;

/**
 * The outgoing stream's clock: the source's timestamps (microseconds from the start of each connection or file
 * pass, {@link MediaReader}) placed on one timeline that starts at a base and only moves forward. A reconnect or
 * a {@code --loop} pass starts a new segment after the last frame, by the wall-clock time the source was away
 * (at least one frame interval), so pts never go back across segments. A source whose own timestamps jump within
 * one connection (restarted behind the same address before it counted as lost, or a timestamp reset: more than
 * {@link #BACKWARD_JUMP_MICROS} back or {@link #FORWARD_JUMP_MICROS} ahead) starts a new segment right after the
 * last item. Smaller steps back are refused and counted.
 */
public final class PtsTimeline {

    /** A source timestamp this far behind the previous one is a restart of the source, not a late item. */
    public static final long BACKWARD_JUMP_MICROS = 1_000_000;
    /** A source timestamp this far ahead of the previous one is a timestamp reset, not a gap. */
    public static final long FORWARD_JUMP_MICROS = 30_000_000;

    private final long minStepMicros;
    private long lastSourceFrame = Long.MIN_VALUE;
    private long lastSourceAudio = Long.MIN_VALUE;
    private long discontinuities;
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
        lastSourceFrame = Long.MIN_VALUE;
        lastSourceAudio = Long.MIN_VALUE;
        long end = Math.max(lastFrame, audioEnd);
        if (end != Long.MIN_VALUE) {
            segmentBase = end + Math.max(minStepMicros, awayMicros);
        }
    }

    /** The outgoing pts of a frame, or -1 when it would not move the clock forward (refused). */
    public long frame(long sourceMicros) {
        if (jumped(lastSourceFrame, sourceMicros)) {
            rebase(sourceMicros);
        }
        lastSourceFrame = sourceMicros;
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
        if (jumped(lastSourceAudio, sourceStartMicros)) {
            rebase(sourceStartMicros);
        }
        lastSourceAudio = sourceStartMicros;
        long start = segmentBase + Math.max(0, sourceStartMicros);
        if (audioEnd != Long.MIN_VALUE && start < audioEnd) {
            refused++;
            return -1;
        }
        audioEnd = start + durationMicros;
        return start;
    }

    private static boolean jumped(long previous, long next) {
        return previous != Long.MIN_VALUE
                && (next < previous - BACKWARD_JUMP_MICROS || next > previous + FORWARD_JUMP_MICROS);
    }

    /** Continues the source's new clock right after everything sent so far. */
    private void rebase(long sourceMicros) {
        long end = Math.max(lastFrame, audioEnd);
        segmentBase = end + minStepMicros - Math.max(0, sourceMicros);
        lastSourceFrame = Long.MIN_VALUE;
        lastSourceAudio = Long.MIN_VALUE;
        discontinuities++;
    }

    /** Times the source's own clock jumped within a connection (restart, timestamp reset). */
    public long discontinuities() {
        return discontinuities;
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
