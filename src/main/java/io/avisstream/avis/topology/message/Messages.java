package io.avisstream.avis.topology.message;

/** Shared checks and time arithmetic of the message records. */
public final class Messages {
    public static final int MAX_STREAM_ID_LENGTH = 255;

    private Messages() {
    }

    static void requireStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty() || streamId.length() > MAX_STREAM_ID_LENGTH) {
            throw new IllegalArgumentException("streamId must have 1.." + MAX_STREAM_ID_LENGTH + " characters");
        }
    }

    /** Duration of {@code samples} at 16 kHz, in whole microseconds (62.5 us a sample, rounded down). */
    public static long samplesToMicros(long samples) {
        return samples * 1_000_000L / AudioChunkMessage.SAMPLE_RATE;
    }

    /** Nearest sample index of a time offset at 16 kHz. */
    public static long microsToSamples(long micros) {
        return Math.round(micros * (double) AudioChunkMessage.SAMPLE_RATE / 1_000_000d);
    }
}
