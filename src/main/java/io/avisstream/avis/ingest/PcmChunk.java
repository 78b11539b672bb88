package io.avisstream.avis.ingest;

import io.avisstream.avis.message.AudioFormat;

/**
 * A run of 16 kHz mono signed 16-bit PCM ({@link AudioFormat#SAMPLE_RATE}), the format the audio topic carries.
 *
 * @param startMicros time of the first sample, microseconds from the start of the file
 * @param samples the PCM samples; never empty
 */
public record PcmChunk(long startMicros, short[] samples) implements MediaSample {
    public PcmChunk {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("a PCM chunk needs at least one sample");
        }
    }

    @Override
    public long ptsMicros() {
        return startMicros;
    }

    /** Time just after the last sample. */
    public long endMicros() {
        return startMicros + durationMicros(samples.length);
    }

    /** Duration of {@code count} samples at 16 kHz, in microseconds (exact: 62.5 us a sample, rounded down). */
    public static long durationMicros(long count) {
        return count * 1_000_000L / AudioFormat.SAMPLE_RATE;
    }
}
