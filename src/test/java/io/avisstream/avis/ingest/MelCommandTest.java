package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.avisstream.avis.engine.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mel} command without the Quarkus runtime: options, exit codes, the .npy it writes. */
class MelCommandTest {

    @Test
    void shouldWriteOnePatchPerSecondAsFloat32Npy(@TempDir Path dir) throws Exception {
        // Given: 1.5 s of 48 kHz stereo
        Path wav = dir.resolve("in.wav");
        TestWavs.writeWav(wav, TestWavs.stereoMix(48_000, 1.5), 48_000, 2);
        Path out = dir.resolve("out.npy");

        // When
        int exit = new MelCommand().run("--input", wav.toString(), "--out", out.toString());

        // Then: frames at 0 s and 1 s; the 0.5 s second 1 gives zeros
        Npy npy = Npy.read(out);
        assertThat(exit).isZero();
        assertThat(npy.dtype()).isEqualTo("<f4");
        assertThat(npy.shape()).containsExactly(2, 96, 64);
        float[] values = npy.floats();
        assertThat(values[0]).isNotZero();
        for (int i = 96 * 64; i < values.length; i++) {
            assertThat(values[i]).isZero();
        }
    }

    @Test
    void shouldHonourAnExplicitFrameCount(@TempDir Path dir) throws Exception {
        // Given
        Path wav = dir.resolve("in.wav");
        TestWavs.writeWav(wav, TestWavs.stereoMix(22_050, 1.0), 22_050, 2);
        Path out = dir.resolve("out.npy");

        // When
        int exit = new MelCommand().run("--input", wav.toString(), "--out", out.toString(), "--frames", "4");

        // Then
        assertThat(exit).isZero();
        assertThat(Npy.read(out).shape()).containsExactly(4, 96, 64);
    }

    @Test
    void shouldExit66WhenTheInputIsMissingOrNotMedia(@TempDir Path dir) throws Exception {
        // Given
        Path junk = dir.resolve("junk.mp4");
        Files.writeString(junk, "not media");

        // When / Then
        assertThat(new MelCommand().run("--input", dir.resolve("absent.wav").toString(), "--out",
                dir.resolve("a.npy").toString())).isEqualTo(66);
        assertThat(new MelCommand().run("--input", junk.toString(), "--out", dir.resolve("b.npy").toString()))
                .isEqualTo(66);
        assertThat(dir.resolve("b.npy")).doesNotExist();
    }

    @Test
    void shouldRejectBadArgumentsAsUsageErrors() {
        // When / Then: Main turns IllegalArgumentException into one line and exit 64
        assertThatThrownBy(() -> MelCommand.parse("--input", "a.wav"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--out");
        assertThatThrownBy(() -> MelCommand.parse("--input", "a.wav", "--out", "b.npy", "--frames", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--frames");
        assertThatThrownBy(() -> MelCommand.parse("--verbose"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> MelCommand.parse("--input"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThat(MelCommand.parse("--out", "b.npy", "--input", "a.wav").frames()).isNull();
        assertThat(MelCommand.parse("--out", "b.npy", "--input", "a.wav").encoding())
                .isEqualTo(io.avisstream.avis.message.AudioFormat.Encoding.F32LE);
        assertThat(MelCommand.parse("--out", "b.npy", "--input", "a.wav", "--audio-encoding", "s16le").encoding())
                .isEqualTo(io.avisstream.avis.message.AudioFormat.Encoding.S16LE);
        assertThatThrownBy(() -> MelCommand.parse("--out", "b.npy", "--input", "a.wav", "--audio-encoding", "u8"))
                .hasMessageContaining("--audio-encoding");
    }
}
