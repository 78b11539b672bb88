package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.engine.Npy;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service's audio path end to end ({@link ModelPatches}: FFmpeg decode, channel mean, kaiser_best per second,
 * 16 kHz chunks encoded as the audio topic carries them, the join's window, the engine's patch rule) against the official {@code wavfile_to_examples}
 * procedure run with resampy by {@code engines/tools/make_resample_vectors.py} on the same stereo WAV.
 */
class ModelAudioParityTest {

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void shouldHearWhatTheOfficialExtractorHeardOnStereoInput(int rate, @TempDir Path dir) throws IOException {
        // Given: 2.4 s of stereo: two full seconds and a 0.4 s last one
        Path wav = dir.resolve("mix-" + rate + ".wav");
        TestWavs.writeWav(wav, TestWavs.stereoMix(rate, 2.4), rate, 2);
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

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void shouldHearPureTonesOnDigitalSilenceAsTheOfficialExtractorDid(int rate, @TempDir Path dir) throws IOException {
        // Given: 7.5 / 7.9 kHz tones and nothing else (bands away from them sit at ln(0.01) officially)
        Path wav = dir.resolve("tones-" + rate + ".wav");
        TestWavs.writeWav(wav, TestWavs.stereoTones(rate, 2.4), rate, 2);
        float[] expected = Npy.resource("parity/resample/e2e-tones-" + rate + ".mel.npy").floats();

        // When: as ingest sends it (f32le), and as an s16le producer would
        float[][] got = ModelPatches.read(wav).patches(3);
        float[][] s16 = ModelPatches.read(wav, AudioFormat.Encoding.S16LE).patches(3);

        // Then: f32le is within 0.02 everywhere (float32 rounding only); 16-bit rounding is not
        assertThat(TestWavs.worst(got, expected, 2)).isLessThan(0.02f);
        assertThat(got[2]).containsOnly(0f);
        assertThat(TestWavs.worst(s16, expected, 2)).isGreaterThan(0.02f);
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
        short[] mix = TestWavs.stereoMix(rate, 1.2);
        short[] mono = new short[mix.length / 2];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = mix[2 * i];
        }
        Path wav = dir.resolve("mono.wav");
        TestWavs.writeWav(wav, mono, rate, 1);

        // When
        float[][] got = ModelPatches.read(wav).patches(2);

        // Then: a real patch for second 0 (log-mel of a loud signal is above ln(0.01)), zeros for the 0.2 s second 1
        assertThat(got[0][0]).isGreaterThan((float) Math.log(0.01) + 1f);
        assertThat(got[1]).containsOnly(0f);
    }
}
