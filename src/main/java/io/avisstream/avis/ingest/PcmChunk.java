package io.avisstream.avis.ingest;

import io.avisstream.avis.message.AudioFormat;

/**
 * A run of 16 kHz mono PCM ({@link AudioFormat#SAMPLE_RATE}) at full scale 1.0, as the model's resampler made it
 * (double, not rounded: the audio topic's encoding rounds it once, to float32 or int16, when the chunk is sent).
 *
 * @param startMicros time of the first sample, microseconds from the start of the file
 * @param samples the samples, full scale 1.0; never empty
 */
public record PcmChunk(long startMicros, double[] samples) implements MediaSample {
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
