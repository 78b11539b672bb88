package io.avisstream.avis.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.avisstream.avis.engine.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SincResampler} with {@link KaiserSincFilter#KAISER_BEST} against {@code resampy.resample(x, sr, 16000)}
 * (Debian python3-resampy 0.4.2), vectors of {@code engines/tools/make_resample_vectors.py}.
 */
class SincResamplerTest {

    @ParameterizedTest
    @CsvSource({
            "8000, mono-tone3900", "8000, mono-tone3990", "8000, mono-tone1000", "8000, stereo-noise",
            "22050, mono-tone7500", "22050, mono-tone7900", "22050, mono-tone1000", "22050, stereo-noise",
            "44100, mono-tone7500", "44100, mono-tone7900", "44100, mono-tone1000", "44100, stereo-noise",
            "48000, mono-tone7500", "48000, mono-tone7900", "48000, mono-tone1000", "48000, stereo-noise"})
    void shouldEqualResampyKaiserBest(int rate, String signal) {
        // Given
        Npy input = Npy.resource("parity/resample/" + rate + "-" + signal + ".in.npy");
        double[] expected = Npy.resource("parity/resample/" + rate + "-" + signal + ".out.npy").doubles();
        double[] mono = officialMono(input);

        // When
        double[] y = SincResampler.of(KaiserSincFilter.KAISER_BEST, rate, 16_000).resample(mono);

        // Then
        assertThat(y).hasSameSizeAs(expected);
        assertThat(maxAbsDifference(y, expected)).isLessThan(1e-12);
    }

    @Test
    void shouldKeepTheLengthRuleOfResampy() {
        // Given: resampy gives int(n * sr_new / sr_orig) samples
        SincResampler down = SincResampler.of(KaiserSincFilter.KAISER_BEST, 44_100, 16_000);
        SincResampler up = SincResampler.of(KaiserSincFilter.KAISER_BEST, 8_000, 16_000);

        // Then
        assertThat(down.outputLength(44_100)).isEqualTo(16_000);
        assertThat(down.outputLength(17_640)).isEqualTo(6_400);
        assertThat(down.outputLength(42_998)).isEqualTo(15_600);
        assertThat(down.outputLength(42_997)).isEqualTo(15_599);
        assertThat(down.outputLength(2)).isZero();
        assertThat(up.outputLength(3)).isEqualTo(6);
    }

    @Test
    void shouldPassSamplesThroughAt16kHz() {
        // Given
        double[] x = {0.5, -0.25, 0.125, 0.0, 1.0};

        // When
        SincResampler same = SincResampler.of(KaiserSincFilter.KAISER_BEST, 16_000, 16_000);

        // Then
        assertThat(same.identity()).isTrue();
        assertThat(same.resample(x)).containsExactly(x);
    }

    @Test
    void shouldTabulateTheFilterWithUnitPeakAtTheRolloffAndZeroAtItsEdge() {
        // Given
        KaiserSincFilter filter = KaiserSincFilter.KAISER_BEST;

        // When
        double[] half = filter.halfWindow();

        // Then: rolloff * sinc(0) * kaiser(centre) = rolloff; the Kaiser taper is tiny at the edge
        assertThat(half).hasSize(50 * 8192 + 1);
        assertThat(half[0]).isCloseTo(0.917347, within(1e-15));
        assertThat(Math.abs(half[half.length - 1])).isLessThan(1e-5);
        assertThat(KaiserSincFilter.besselI0(0.0)).isEqualTo(1.0);
        assertThat(KaiserSincFilter.besselI0(1.0)).isCloseTo(1.2660658777520082, within(1e-15));
    }

    @Test
    void shouldAttenuateAsResampyNearThe16kHzCutoff() {
        // Given: 44.1 kHz tones, amplitude 1, one second; gain measured on the middle half
        SincResampler r = SincResampler.of(KaiserSincFilter.KAISER_BEST, 44_100, 16_000);

        // Then: kaiser_best's pass band ends near 0.917 * 8 kHz
        assertThat(gain(r, 1000.0)).isCloseTo(1.0, within(1e-3));
        assertThat(gain(r, 7000.0)).isCloseTo(0.971, within(0.01));
        assertThat(gain(r, 7500.0)).isCloseTo(0.19, within(0.01));
        assertThat(gain(r, 7900.0)).isLessThan(1e-3);
    }

    private static double gain(SincResampler r, double hertz) {
        double[] x = new double[44_100];
        for (int n = 0; n < x.length; n++) {
            x[n] = Math.sin(2 * Math.PI * hertz * n / 44_100.0);
        }
        double[] y = r.resample(x);
        double power = 0;
        for (int n = 4000; n < 12000; n++) {
            power += y[n] * y[n];
        }
        return Math.sqrt(2 * power / 8000);
    }

    /** int16 [n] or [n, c] -> the official mono: /32768, then the channel mean. */
    static double[] officialMono(Npy input) {
        short[] pcm = input.shorts();
        int channels = input.shape().length == 2 ? (int) input.shape()[1] : 1;
        double[] mono = new double[pcm.length / channels];
        for (int i = 0; i < mono.length; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += pcm[i * channels + c] / 32768.0;
            }
            mono[i] = channels == 1 ? sum : sum / channels;
        }
        return mono;
    }

    static double maxAbsDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
