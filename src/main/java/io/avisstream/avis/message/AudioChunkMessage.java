package io.avisstream.avis.message;

import java.util.Arrays;

/**
 * Value of {@code avis.audio.v1} (schema {@code topology/schemas/audio.schema.json}); key = stream id.
 * A chunk of 16 kHz mono signed 16-bit little-endian PCM. Stable contract.
 *
 * @param streamId the stream, equal to the record key
 * @param startMicros timestamp of the first sample, on the frames' pts clock
 * @param sampleRate always {@link AudioFormat#SAMPLE_RATE}
 * @param data s16le PCM (base64 on the wire), an even number of bytes
 */
public record AudioChunkMessage(String streamId, long startMicros, int sampleRate, byte[] data) {
    public AudioChunkMessage {
        Messages.requireStreamId(streamId);
        if (startMicros < 0) {
            throw new IllegalArgumentException("startMicros must be >= 0, got " + startMicros);
        }
        if (sampleRate != AudioFormat.SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate must be " + AudioFormat.SAMPLE_RATE + ", got " + sampleRate);
        }
        if (data == null || data.length < 2 || data.length % 2 != 0) {
            throw new IllegalArgumentException("PCM data needs an even, non-zero number of bytes");
        }
    }

    /** Builds a chunk from samples (little-endian). */
    public static AudioChunkMessage of(String streamId, long startMicros, short[] samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return new AudioChunkMessage(streamId, startMicros, AudioFormat.SAMPLE_RATE, bytes);
    }

    public int sampleCount() {
        return data.length / 2;
    }

    public short sample(int i) {
        return (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8));
    }

    /** Timestamp just after the last sample. */
    public long endMicros() {
        return startMicros + AudioFormat.samplesToMicros(sampleCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioChunkMessage a && a.streamId.equals(streamId) && a.startMicros == startMicros
                && a.sampleRate == sampleRate && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * streamId.hashCode() + Long.hashCode(startMicros)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AudioChunkMessage[stream=" + streamId + ", start=" + startMicros + ", samples=" + sampleCount() + "]";
    }
}
