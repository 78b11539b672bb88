package io.avisstream.avis.message;

/**
 * The one definition of the service's audio: what the audio topic carries, what the join cuts per frame and what
 * the log-mel front end reads. 16 kHz mono signed 16-bit PCM (little-endian on the wire).
 */
public final class AudioFormat {
    /** Samples per second, everywhere: wire, join, log-mel, demo. */
    public static final int SAMPLE_RATE = 16_000;
    /** Bytes of one s16le sample. */
    public static final int BYTES_PER_SAMPLE = 2;
    /**
     * Samples of audio that belong to one frame, starting at its pts (0.975 s): one 96x64 VGGish log-mel patch
     * (400-sample window + 95 hops of 160), the alignment the model was trained with.
     */
    public static final int WINDOW_SAMPLES = 15_600;

    private AudioFormat() {
    }

    /** Duration of {@code samples}, in whole microseconds (62.5 us a sample, rounded down). */
    public static long samplesToMicros(long samples) {
        return samples * 1_000_000L / SAMPLE_RATE;
    }

    /** Nearest sample index of a time offset. */
    public static long microsToSamples(long micros) {
        return Math.round(micros * (double) SAMPLE_RATE / 1_000_000d);
    }
}
