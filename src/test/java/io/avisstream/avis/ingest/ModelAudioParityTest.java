package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.engine.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service's audio path end to end ({@link ModelPatches}: FFmpeg decode, channel mean, kaiser_best per second,
 * s16 16 kHz chunks, the join's window, the engine's patch rule) against the official {@code wavfile_to_examples}
 * procedure run with resampy by {@code engines/tools/make_resample_vectors.py} on the same stereo WAV.
 */
class ModelAudioParityTest {

    private static final long MASK_SEED_MULTIPLIER = 6364136223846793005L;
    private static final long MASK_SEED_INCREMENT = 1442695040888963407L;

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void shouldHearWhatTheOfficialExtractorHeardOnStereoInput(int rate, @TempDir Path dir) throws IOException {
        // Given: 2.4 s of stereo: two full seconds and a 0.4 s last one
        Path wav = dir.resolve("mix-" + rate + ".wav");
        writeWav(wav, stereoMix(rate, 2.4), rate, 2);
        float[] expected = Npy.resource("parity/resample/e2e-" + rate + ".mel.npy").floats();

        // When
        ModelPatches patches = ModelPatches.read(wav);
        float[][] got = patches.patches(3);

        // Then: within 0.02 (log-mel) in every band of the full seconds; the short last second is all zeros
        assertThat(patches.defaultFrames()).isEqualTo(3);
        for (int frame = 0; frame < 2; frame++) {
            for (int i = 0; i < LogMelFrontEnd.PATCH_LENGTH; i++) {
                float want = expected[frame * LogMelFrontEnd.PATCH_LENGTH + i];
                assertThat(Math.abs(got[frame][i] - want)).as("frame %d index %d", frame, i).isLessThan(0.02f);
            }
        }
        assertThat(patches.window(2_000_000).coverage()).isEqualTo(AudioCoverage.PARTIAL);
        assertThat(got[2]).containsOnly(0f);
        for (int i = 0; i < LogMelFrontEnd.PATCH_LENGTH; i++) {
            assertThat(expected[2 * LogMelFrontEnd.PATCH_LENGTH + i]).isZero();
        }
    }

    @Test
    void shouldGiveZeroPatchesWhenTheFileHasNoAudio() throws Exception {
        // Given: the committed 1 s video without an audio stream
        Path clip = Path.of(getClass().getResource("/clips/blue-64x48-5fps-1s-noaudio.mp4").toURI());

        // When
        ModelPatches patches = ModelPatches.read(clip);

        // Then
        assertThat(patches.info().hasAudio()).isFalse();
        assertThat(patches.defaultFrames()).isEqualTo(1);
        assertThat(patches.window(0).coverage()).isEqualTo(AudioCoverage.MISSING);
        assertThat(patches.patches(1)[0]).containsOnly(0f);
    }

    @Test
    void shouldReadMonoWavWhichTheOfficialLoaderCannot(@TempDir Path dir) throws IOException {
        // Given: 1.2 s of mono 22.05 kHz (the official loader indexes [samples, channels] and fails on mono)
        int rate = 22_050;
        short[] mix = stereoMix(rate, 1.2);
        short[] mono = new short[mix.length / 2];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = mix[2 * i];
        }
        Path wav = dir.resolve("mono.wav");
        writeWav(wav, mono, rate, 1);

        // When
        float[][] got = ModelPatches.read(wav).patches(2);

        // Then: a real patch for second 0 (log-mel of a loud signal is above ln(0.01)), zeros for the 0.2 s second 1
        assertThat(got[0][0]).isGreaterThan((float) Math.log(0.01) + 1f);
        assertThat(got[1]).containsOnly(0f);
    }

    /** {@code stereo_mix} of {@code make_resample_vectors.py}, interleaved int16. */
    static short[] stereoMix(int rate, double seconds) {
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

    static void writeWav(Path path, short[] interleaved, int rate, int channels) throws IOException {
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
}
