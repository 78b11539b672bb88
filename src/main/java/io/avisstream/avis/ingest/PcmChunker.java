package io.avisstream.avis.ingest;

import java.util.ArrayList;
import java.util.List;

import io.avisstream.avis.message.AudioFormat;

/**
 * Cuts a 16 kHz mono sample stream into fixed-size {@link PcmChunk}s whose start times follow the sample count,
 * not the decoder's per-frame timestamps: decoded audio frames carry rounded timestamps, and re-deriving each
 * chunk's start from them would jitter by a sample or two. The clock re-anchors only on a real discontinuity
 * (a jump of more than {@link #DISCONTINUITY_MICROS} between where the samples say we are and the decoder's
 * timestamp), so a gap in the source stays a gap instead of shifting everything after it.
 *
 * <p>Samples before time zero (encoder priming the demuxer did not trim) are dropped, so chunks never start
 * before the file does. Not thread-safe.
 */
public final class PcmChunker {

    /** A timestamp jump larger than this re-anchors the clock (well above AAC's 1024-sample frame jitter). */
    public static final long DISCONTINUITY_MICROS = 100_000;

    private final int chunkSamples;
    private final double[] pending;
    private int pendingCount;
    /** Time of sample 0 of the current run, or {@code Long.MIN_VALUE} before the first sample. */
    private long runOriginMicros = Long.MIN_VALUE;
    /** Samples accepted in the current run (emitted + pending). */
    private long runSamples;

    public PcmChunker(int chunkSamples) {
        if (chunkSamples <= 0) {
            throw new IllegalArgumentException("chunkSamples must be positive, got " + chunkSamples);
        }
        this.chunkSamples = chunkSamples;
        this.pending = new double[chunkSamples];
    }

    /** Chunk size for a duration in milliseconds at 16 kHz (e.g. 100 ms -> 1600 samples). */
    public static int samplesFor(long millis) {
        long samples = millis * AudioFormat.SAMPLE_RATE / 1000;
        if (samples <= 0 || samples > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk duration out of range: " + millis + " ms");
        }
        return (int) samples;
    }

    /**
     * Appends {@code count} samples whose first one the decoder places at {@code startMicros}; returns the chunks
     * completed by them (possibly none).
     */
    public List<PcmChunk> append(long startMicros, double[] samples, int count) {
        List<PcmChunk> out = new ArrayList<>();
        int offset = 0;
        if (runOriginMicros == Long.MIN_VALUE || Math.abs(startMicros - expectedNextMicros()) > DISCONTINUITY_MICROS) {
            flushInto(out);
            runOriginMicros = startMicros;
            runSamples = 0;
        }
        if (runOriginMicros < 0) {
            // Drop samples before t=0 and move the origin onto the first kept sample.
            long skip = Math.min(count, ceilDiv(-runOriginMicros * AudioFormat.SAMPLE_RATE, 1_000_000L));
            offset = (int) skip;
            runOriginMicros += PcmChunk.durationMicros(skip);
            if (offset < count && runOriginMicros < 0) {
                runOriginMicros = 0;
            }
        }
        while (offset < count) {
            int take = Math.min(count - offset, chunkSamples - pendingCount);
            System.arraycopy(samples, offset, pending, pendingCount, take);
            pendingCount += take;
            runSamples += take;
            offset += take;
            if (pendingCount == chunkSamples) {
                flushInto(out);
            }
        }
        return out;
    }

    /** Emits the last, shorter chunk (if any samples are pending). */
    public List<PcmChunk> finish() {
        List<PcmChunk> out = new ArrayList<>(1);
        flushInto(out);
        return out;
    }

    /** Where the next sample falls on the chunk clock (0 before the first sample). */
    public long nextStartMicros() {
        return runOriginMicros == Long.MIN_VALUE ? 0 : expectedNextMicros();
    }

    private long expectedNextMicros() {
        return runOriginMicros + PcmChunk.durationMicros(runSamples);
    }

    private void flushInto(List<PcmChunk> out) {
        if (pendingCount == 0) {
            return;
        }
        long firstSample = runSamples - pendingCount;
        double[] chunk = new double[pendingCount];
        System.arraycopy(pending, 0, chunk, 0, pendingCount);
        out.add(new PcmChunk(runOriginMicros + PcmChunk.durationMicros(firstSample), chunk));
        pendingCount = 0;
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
