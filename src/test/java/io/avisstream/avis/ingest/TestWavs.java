package io.avisstream.avis.ingest;

import io.avisstream.avis.audio.LogMelFrontEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test WAVs whose official log-mel patches {@code engines/tools/make_resample_vectors.py} wrote (same formulas). */
public final class TestWavs {

    private static final long MASK_SEED_MULTIPLIER = 6364136223846793005L;
    private static final long MASK_SEED_INCREMENT = 1442695040888963407L;

    private TestWavs() {
    }

    /** {@code stereo_mix} of {@code make_resample_vectors.py}, interleaved int16. */
    public static short[] stereoMix(int rate, double seconds) {
        int n = (int) Math.round(rate * seconds);
        short[] out = new short[2 * n];
        for (int c = 0; c < 2; c++) {
            long state = 17 + c;
            for (int i = 0; i < n; i++) {
                state = state * MASK_SEED_MULTIPLIER + MASK_SEED_INCREMENT;
                double noise = (double) ((state >>> 40) & 0xFFFF) - 32768.0;
                double t = (double) i / rate;
                double x = 8000.0 * Math.sin(2.0 * Math.PI * (440.0 + 110.0 * c) * i / rate)
                        + 5000.0 * Math.sin(2.0 * Math.PI * 7500.0 * i / rate + c)
                        + 3000.0 * Math.sin(2.0 * Math.PI * 7900.0 * i / rate)
                        + 2000.0 * Math.sin(2.0 * Math.PI * (6000.0 * t + 1000.0 * t * t / seconds))
                        + 0.03 * noise;
                out[2 * i + c] = (short) Math.max(-32768, Math.min(32767, Math.rint(x)));
            }
        }
        return out;
    }

    public static void writeWav(Path path, short[] interleaved, int rate, int channels) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * interleaved.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * interleaved.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * interleaved.length);
        for (short s : interleaved) {
            b.putShort(s);
        }
        Files.write(path, b.array());
    }

    /** {@code stereo_tones} of {@code make_resample_vectors.py}: 7.5 kHz left, 7.9 kHz right, nothing else. */
    public static short[] stereoTones(int rate, double seconds) {
        int n = (int) Math.round(rate * seconds);
        short[] out = new short[2 * n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            out[2 * i] = (short) Math.rint(9000 * Math.sin(2 * Math.PI * 7500 * t));
            out[2 * i + 1] = (short) Math.rint(9000 * Math.sin(2 * Math.PI * 7900 * t));
        }
        return out;
    }

    /** Largest absolute difference of the first {@code frames} patches to {@code expected} ([frames][96 * 64] flat). */
    public static float worst(float[][] got, float[] expected, int frames) {
        float worst = 0f;
        for (int frame = 0; frame < frames; frame++) {
            for (int i = 0; i < LogMelFrontEnd.PATCH_LENGTH; i++) {
                worst = Math.max(worst, Math.abs(got[frame][i] - expected[frame * LogMelFrontEnd.PATCH_LENGTH + i]));
            }
        }
        return worst;
    }
}
