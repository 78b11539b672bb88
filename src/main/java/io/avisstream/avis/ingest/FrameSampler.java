package io.avisstream.avis.ingest;

/**
 * Keeps frames at a target rate on the pts grid anchored at the first frame ({@code --fps N}); 0 keeps every frame.
 * A source slower than the target passes unchanged; one faster keeps the first frame at or after each grid point.
 */
public final class FrameSampler {

    private final long stepMicros;
    private long nextDue = Long.MIN_VALUE;

    /** @param fps frames per second to keep; 0 or less keeps all */
    public FrameSampler(double fps) {
        this.stepMicros = fps > 0 ? Math.round(1_000_000.0 / fps) : 0;
    }

    public boolean keep(long ptsMicros) {
        if (stepMicros == 0) {
            return true;
        }
        if (nextDue != Long.MIN_VALUE && ptsMicros < nextDue) {
            return false;
        }
        nextDue = nextDue == Long.MIN_VALUE ? ptsMicros + stepMicros : nextDue + stepMicros;
        if (nextDue <= ptsMicros) {
            // The source jumped ahead (a gap, a reconnect): restart the grid here.
            nextDue = ptsMicros + stepMicros;
        }
        return true;
    }
}
