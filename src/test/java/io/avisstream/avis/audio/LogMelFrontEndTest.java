package io.avisstream.avis.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.engine.Npy;
import io.avisstream.avis.engine.Parity;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Parity with {@code engines/acvis/mel.py} on the vectors of {@code engines/tools/make_parity_vectors.py}. */
class LogMelFrontEndTest {

    private final LogMelFrontEnd frontEnd = new LogMelFrontEnd();

    @ParameterizedTest
    @ValueSource(strings = {"tone440", "chirp", "noise", "mixed", "silence"})
    void shouldMatchPythonReferenceWithin1e5(String signal) {
        // Given
        float[] pcm = fullScale(Npy.resource("parity/mel/" + signal + ".pcm.npy").shorts());
        float[] expected = Npy.resource("parity/mel/" + signal + ".mel.npy").floats();

        // When
        float[] patch = frontEnd.patch(pcm);

        // Then
        Parity.of("mel/" + signal, expected, patch).assertWithin(1e-5);
    }

    @Test
    void shouldReturnAllZeroPatchWhenWindowIsShorterThanOnePatch() {
        // Given
        float[] pcm = new float[LogMelFrontEnd.PATCH_SAMPLES - 1];
        Arrays.fill(pcm, 1000 / 32768f);

        // When
        float[] patch = frontEnd.patch(pcm);

        // Then
        assertThat(patch).hasSize(96 * 64).containsOnly(0f);
    }

    @Test
    void shouldGiveTheModelNoPatchForAWindowThatIsNotFullyCovered() {
        // Given: a full-length window of a loud tone
        float[] pcm = new float[LogMelFrontEnd.PATCH_SAMPLES];
        for (int n = 0; n < pcm.length; n++) {
            pcm[n] = Math.round(8000 * Math.sin(2 * Math.PI * 500.0 * n / 16000.0)) / 32768f;
        }

        // When / Then: null is the engine's all-zero patch
        assertThat(frontEnd.modelPatch(pcm, false)).isNull();
        assertThat(frontEnd.modelPatch(pcm, true)).containsExactly(frontEnd.patch(pcm));
    }

    @Test
    void shouldPutA1kHzToneInTheBandCentredNearestToIt() {
        // Given
        float[] pcm = new float[LogMelFrontEnd.PATCH_SAMPLES];
        for (int n = 0; n < pcm.length; n++) {
            pcm[n] = Math.round(16000 * Math.sin(2 * Math.PI * 1000.0 * n / 16000.0)) / 32768f;
        }
        double target = LogMelFrontEnd.hertzToMel(1000.0);
        double low = LogMelFrontEnd.hertzToMel(125.0);
        double step = (LogMelFrontEnd.hertzToMel(7500.0) - low) / 65;
        int expectedBand = (int) Math.round((target - low) / step) - 1;

        // When
        float[] patch = frontEnd.patch(pcm);

        // Then
        int loudest = 0;
        for (int band = 1; band < 64; band++) {
            if (patch[10 * 64 + band] > patch[10 * 64 + loudest]) {
                loudest = band;
            }
        }
        assertThat(loudest).isEqualTo(expectedBand);
    }

    /** int16 samples at full scale 1.0, as an s16le record decodes (exact in float). */
    static float[] fullScale(short[] s16) {
        float[] out = new float[s16.length];
        for (int i = 0; i < s16.length; i++) {
            out[i] = s16[i] / 32768f;
        }
        return out;
    }
}
