package io.avisstream.avis.message;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The one definition of the service's audio: what the audio topic carries, what the join cuts per frame and what
 * the log-mel front end reads. 16 kHz mono; on the wire either signed 16-bit PCM ({@link Encoding#S16LE}, the
 * default) or IEEE float32 ({@link Encoding#F32LE}), little-endian. In memory (join windows, log-mel input) samples
 * are {@code float} at full scale 1.0: an s16 sample {@code s} is {@code s / 32768} (exact in float32).
 */
public final class AudioFormat {
    /** Samples per second, everywhere: wire, join, log-mel, demo. */
    public static final int SAMPLE_RATE = 16_000;
    /**
     * Samples of audio that belong to one frame, starting at its pts (0.975 s): one 96x64 VGGish log-mel patch
     * (400-sample window + 95 hops of 160), the alignment the model was trained with.
     */
    public static final int WINDOW_SAMPLES = 15_600;
    /** Full scale of signed 16-bit PCM: {@code s16 = round(x * S16_SCALE)}, {@code x = s16 / S16_SCALE}. */
    public static final float S16_SCALE = 32768f;
    /** The encoding of an audio record without an {@code encoding} field (every record written before it existed). */
    public static final Encoding WIRE_DEFAULT_ENCODING = Encoding.S16LE;
    /**
     * What {@code ingest}, {@code demo} and {@code predict} produce unless told otherwise: they resample to 16 kHz in
     * Java (double precision) and float32 keeps that signal (s16 rounding adds noise the official features lack).
     */
    public static final Encoding PRODUCER_ENCODING = Encoding.F32LE;

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

    /** How the samples of an audio record's {@code data} are encoded (wire name in the {@code encoding} field). */
    public enum Encoding {
        /** Signed 16-bit little-endian integers; full scale 32768. */
        S16LE("s16le", 2),
        /**
         * IEEE-754 float32, little-endian; full scale 1.0 (nominally [-1, 1]; values slightly beyond, as a
         * resampler's overshoot, are kept as they are). Every value must be finite.
         */
        F32LE("f32le", 4);

        private final String wire;
        private final int bytesPerSample;

        Encoding(String wire, int bytesPerSample) {
            this.wire = wire;
            this.bytesPerSample = bytesPerSample;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        public int bytesPerSample() {
            return bytesPerSample;
        }

        /** The encoding whose wire name is {@code wire}. */
        public static Encoding ofWire(String wire) {
            return ofWire(wire, "audio encoding");
        }

        /** The encoding whose wire name is {@code wire}; an error names {@code what} (a flag, a config key). */
        public static Encoding ofWire(String wire, String what) {
            for (Encoding e : values()) {
                if (e.wire.equals(wire)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(what + " must be f32le or s16le, got '" + wire + "'");
        }

        /** Samples in {@code data}, which {@link #check} accepted. */
        public int sampleCount(byte[] data) {
            return data.length / bytesPerSample;
        }

        /**
         * Why {@code data} is not a valid non-empty run of samples of this encoding, or null when it is: a length
         * that is not a multiple of the sample size, a non-finite float.
         */
        public String check(byte[] data) {
            if (data == null || data.length == 0) {
                return wire + " PCM data needs at least one sample";
            }
            if (data.length % bytesPerSample != 0) {
                return wire + " PCM data needs a multiple of " + bytesPerSample + " bytes, got " + data.length;
            }
            if (this == F32LE) {
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < data.length / 4; i++) {
                    float x = b.getFloat(4 * i);
                    if (!Float.isFinite(x)) {
                        return "f32le sample " + i + " of " + data.length / 4 + " is " + x + " (samples must be finite)";
                    }
                }
            }
            return null;
        }

        /** The samples of {@code data} (checked) at full scale 1.0. */
        public float[] decode(byte[] data) {
            float[] out = new float[data.length / bytesPerSample];
            decodeInto(data, out, 0);
            return out;
        }

        /** Writes the samples of {@code data} (checked) at full scale 1.0 into {@code out[offset ...]}. */
        public void decodeInto(byte[] data, float[] out, int offset) {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int n = data.length / bytesPerSample;
            for (int i = 0; i < n; i++) {
                out[offset + i] = this == S16LE ? b.getShort(2 * i) / S16_SCALE : b.getFloat(4 * i);
            }
        }

        /**
         * {@code samples} (full scale 1.0) in this encoding, each rounded once: s16le to the nearest integer of
         * {@code x * 32768}, clipped to [-32768, 32767] ({@link AudioFormat#toS16}); f32le to the nearest float32
         * (no clipping; {@link #check} refuses what is not finite).
         */
        public byte[] encode(double[] samples) {
            ByteBuffer b = ByteBuffer.allocate(samples.length * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
            for (double x : samples) {
                if (this == S16LE) {
                    b.putShort(toS16(x));
                } else {
                    b.putFloat((float) x);
                }
            }
            return b.array();
        }
    }

    /** Full scale 1.0 to signed 16-bit: nearest integer of {@code x * 32768}, clipped. */
    public static short toS16(double x) {
        long v = Math.round(x * S16_SCALE);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }
}
