package io.avisstream.avis.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.audio.ModelAudioResampler.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streaming model audio: per-second blocks as the official extractor, built on the resampy-exact {@link SincResampler}. */
class ModelAudioResamplerTest {

    /** What the sink received: 16 kHz index -> value, with a check that runs are contiguous and never overlap. */
    static final class Collected implements ModelAudioResampler.Sink {
        final List<long[]> runs = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        long next = Long.MIN_VALUE;

        @Override
        public void accept(long firstIndex, double[] samples, int count) {
            if (firstIndex != next) {
                runs.add(new long[] {firstIndex, 0});
            }
            runs.get(runs.size() - 1)[1] += count;
            for (int i = 0; i < count; i++) {
                values.add(samples[i]);
            }
            next = firstIndex + count;
        }

        double[] all() {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static double[] stereo(int rate, double seconds, long seed) {
        Random random = new Random(seed);
        int n = (int) Math.round(rate * seconds);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double tone = 0.3 * Math.sin(2 * Math.PI * 7600.0 * i / rate);
            x[2 * i] = tone + 0.1 * random.nextGaussian();
            x[2 * i + 1] = 0.5 * tone + 0.1 * random.nextGaussian();
        }
        return x;
    }

    private static double[] mean(double[] interleaved, int from, int to) {
        double[] mono = new double[to - from];
        for (int i = from; i < to; i++) {
            mono[i - from] = (interleaved[2 * i] + interleaved[2 * i + 1]) / 2;
        }
        return mono;
    }

    /** Pushes {@code x} (stereo) in pieces of random length, starting at native index {@code start}. */
    private static Collected stream(ModelAudioResampler.Mode mode, int rate, double[] x, long start, long seed) {
        Collected sink = new Collected();
        ModelAudioResampler resampler = new ModelAudioResampler(rate, mode, sink);
        Random random = new Random(seed);
        int frames = x.length / 2;
        int at = 0;
        while (at < frames) {
            int take = Math.min(frames - at, 1 + random.nextInt(3000));
            double[] piece = new double[2 * take];
            System.arraycopy(x, 2 * at, piece, 0, 2 * take);
            resampler.push(start + at, piece, 2, take);
            at += take;
        }
        resampler.flush();
        return sink;
    }

    @ParameterizedTest
    @ValueSource(ints = {8_000, 22_050, 44_100, 48_000})
    void shouldResampleEachSecondAloneLikeTheOfficialExtractor(int rate) {
        // Given: 2.4 s of stereo, pushed in random pieces
        double[] x = stereo(rate, 2.4, rate);
        int frames = x.length / 2;

        // When
        Collected sink = stream(Mode.PER_SECOND, rate, x, 0, 7);

        // Then: the concatenation of resampy on [0,1), [1,2), [2,2.4) s, each on its own
        SincResampler block = SincResampler.of(KaiserSincFilter.KAISER_BEST, rate, 16_000);
        List<Double> expected = new ArrayList<>();
        for (int s = 0; s * rate < frames; s++) {
            for (double v : block.resample(mean(x, s * rate, Math.min(frames, (s + 1) * rate)))) {
                expected.add(v);
            }
        }
        assertThat(sink.runs).hasSize(1);
        assertThat(sink.runs.get(0)).containsExactly(0, 16_000 + 16_000 + 6_400);
        assertThat(sink.all()).containsExactly(expected.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void shouldResampleTheWholeRunAsOneBlockInContinuousMode() {
        // Given
        double[] x = stereo(44_100, 2.3, 3);

        // When
        Collected sink = stream(Mode.CONTINUOUS, 44_100, x, 0, 11);

        // Then
        double[] expected = SincResampler.of(KaiserSincFilter.KAISER_BEST, 44_100, 16_000).resample(mean(x, 0, x.length / 2));
        assertThat(sink.all()).containsExactly(expected);
    }

    @Test
    void shouldStartAShortBlockWhenTheStreamStartsMidSecond() {
        // Given: audio from native index 0.5 s (22050) to 1.5 s
        int rate = 44_100;
        double[] x = stereo(rate, 1.0, 5);

        // When
        Collected sink = stream(Mode.PER_SECOND, rate, x, rate / 2, 13);

        // Then: [0.5, 1) and [1, 1.5) s are resampled alone, output from 16 kHz index 8000
        SincResampler block = SincResampler.of(KaiserSincFilter.KAISER_BEST, rate, 16_000);
        double[] first = block.resample(mean(x, 0, rate / 2));
        double[] second = block.resample(mean(x, rate / 2, rate));
        assertThat(sink.runs).hasSize(1);
        assertThat(sink.runs.get(0)).containsExactly(8_000, first.length + second.length);
        double[] all = sink.all();
        assertThat(java.util.Arrays.copyOfRange(all, 0, first.length)).containsExactly(first);
        assertThat(java.util.Arrays.copyOfRange(all, first.length, all.length)).containsExactly(second);
    }

    @Test
    void shouldEndTheBlockAtAGapAndStartANewOneAfterIt() {
        // Given: [0, 0.3) s, then a jump to [2.0, 2.2) s
        int rate = 48_000;
        double[] a = stereo(rate, 0.3, 1);
        double[] b = stereo(rate, 0.2, 2);
        Collected sink = new Collected();
        ModelAudioResampler resampler = new ModelAudioResampler(rate, Mode.PER_SECOND, sink);

        // When
        resampler.push(0, a, 2, a.length / 2);
        resampler.push(2 * rate, b, 2, b.length / 2);
        resampler.flush();

        // Then
        SincResampler block = SincResampler.of(KaiserSincFilter.KAISER_BEST, rate, 16_000);
        assertThat(sink.runs).hasSize(2);
        assertThat(sink.runs.get(0)).containsExactly(0, 4_800);
        assertThat(sink.runs.get(1)).containsExactly(32_000, 3_200);
        double[] all = sink.all();
        assertThat(java.util.Arrays.copyOfRange(all, 0, 4_800)).containsExactly(block.resample(mean(a, 0, a.length / 2)));
        assertThat(java.util.Arrays.copyOfRange(all, 4_800, 8_000)).containsExactly(block.resample(mean(b, 0, b.length / 2)));
    }

    @Test
    void shouldDropSamplesBeforeTimeZero() {
        // Given: 0.1 s of audio starting 0.05 s before zero
        int rate = 16_000;
        double[] x = stereo(rate, 0.1, 9);

        // When
        Collected sink = stream(Mode.PER_SECOND, rate, x, -800, 17);

        // Then: 16 kHz passes through; the first 800 frames are gone
        assertThat(sink.runs.get(0)).containsExactly(0, 800);
        assertThat(sink.all()[0]).isEqualTo((x[1600] + x[1601]) / 2);
    }

    @Test
    void shouldDeliverOutputWithinTheFilterReachOfTheInput() {
        // Given: half a second at 44.1 kHz, pushed without flushing
        int rate = 44_100;
        double[] x = stereo(rate, 0.5, 4);
        Collected sink = new Collected();
        ModelAudioResampler resampler = new ModelAudioResampler(rate, Mode.PER_SECOND, sink);

        // When
        resampler.push(0, x, 2, x.length / 2);

        // Then: everything but the last ~reach input samples is already out
        int reach = SincResampler.of(KaiserSincFilter.KAISER_BEST, rate, 16_000).reach();
        assertThat((long) sink.values.size()).isBetween((long) ((rate / 2 - reach - 2) * 16_000.0 / rate), 8_000L);
    }
}
