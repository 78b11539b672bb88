package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcmChunkerTest {

    private static double[] ramp(int from, int count) {
        double[] samples = new double[count];
        for (int i = 0; i < count; i++) {
            samples[i] = from + i;
        }
        return samples;
    }

    @Test
    void shouldCutFixedChunksTimedBySampleCount() {
        // Given: 4 samples a chunk (250 us), blocks of 3, 3 and 3 samples starting at 1000 us
        PcmChunker chunker = new PcmChunker(4);

        // When
        List<PcmChunk> out = new ArrayList<>();
        out.addAll(chunker.append(1000, ramp(0, 3), 3));
        out.addAll(chunker.append(1187, ramp(3, 3), 3)); // decoder timestamp off by 0.5 sample: ignored
        out.addAll(chunker.append(1375, ramp(6, 3), 3));
        out.addAll(chunker.finish());

        // Then
        assertThat(out).extracting(PcmChunk::startMicros).containsExactly(1000L, 1250L, 1500L);
        assertThat(out.get(0).samples()).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(out.get(1).samples()).containsExactly(4.0, 5.0, 6.0, 7.0);
        assertThat(out.get(2).samples()).containsExactly(8.0);
    }

    @Test
    void shouldReanchorTheClockWhenTheSourceJumps() {
        // Given
        PcmChunker chunker = new PcmChunker(4);

        // When: 2 samples at 0, then 2 samples 1 s later (a gap in the source)
        List<PcmChunk> out = new ArrayList<>(chunker.append(0, ramp(0, 2), 2));
        out.addAll(chunker.append(1_000_000, ramp(2, 2), 2));
        out.addAll(chunker.finish());

        // Then: the gap stays a gap; nothing is shifted onto the earlier clock
        assertThat(out).extracting(PcmChunk::startMicros).containsExactly(0L, 1_000_000L);
        assertThat(out.get(0).samples()).containsExactly(0.0, 1.0);
        assertThat(out.get(1).samples()).containsExactly(2.0, 3.0);
    }

    @Test
    void shouldDropSamplesBeforeTimeZero() {
        // Given: the first block starts 2 samples (125 us) before zero
        PcmChunker chunker = new PcmChunker(4);

        // When
        List<PcmChunk> out = new ArrayList<>(chunker.append(-125, ramp(0, 6), 6));
        out.addAll(chunker.finish());

        // Then
        assertThat(out).hasSize(1);
        assertThat(out.get(0).startMicros()).isZero();
        assertThat(out.get(0).samples()).containsExactly(2.0, 3.0, 4.0, 5.0);
    }

    @Test
    void shouldEmitNothingWhenFinishedEmpty() {
        assertThat(new PcmChunker(4).finish()).isEmpty();
    }

    @Test
    void shouldSizeChunksFromMilliseconds() {
        assertThat(PcmChunker.samplesFor(100)).isEqualTo(1600);
        assertThatThrownBy(() -> PcmChunker.samplesFor(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PcmChunker(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
