package io.avisstream.avis.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Vectors from aviseg-data-and-metrics.md §1.5 (checked there against the reference C implementation). */
class CocoRleTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "921600|PPTl0",
            "0 921600|0PPTl0",
            "3 2 1 1 4 1|321O30",
            "5 10 20 40 30|5:d0n0:",
            "1000000 5 3 7|Pb`n0532",
            "64 16 31 15 32|P2`0o0O1",
            "11 5 5 4 6 3 7 2 8 2 8 1 38|;55O1O1O100On0" })
    void shouldCompressCountsBitExactlyAsPycocotools(String counts, String expected) {
        // Given
        long[] runs = java.util.Arrays.stream(counts.split(" ")).mapToLong(Long::parseLong).toArray();

        // When
        String compressed = CocoRle.compress(runs);

        // Then
        assertThat(compressed).isEqualTo(expected);
        assertThat(CocoRle.decompress(compressed)).containsExactly(runs);
    }

    @Test
    void shouldEncodeColumnMajorRunsStartingWithZeros() {
        // Given the 3x4 mask with rows 0110 / 0100 / 0001
        BinaryMask mask = new BinaryMask(4, 3, new byte[] {
                0, 1, 1, 0,
                0, 1, 0, 0,
                0, 0, 0, 1 });

        // When
        long[] counts = CocoRle.counts(mask);

        // Then
        assertThat(counts).containsExactly(3, 2, 1, 1, 4, 1);
        assertThat(CocoRle.encode(mask)).isEqualTo("321O30");
        assertThat(CocoRle.area(counts)).isEqualTo(4);
        assertThat(CocoRle.bbox(mask)).containsExactly(1, 0, 3, 3);
    }

    @Test
    void shouldEncodeAllZeroAndAllOneMasks() {
        // Given
        BinaryMask zeros = new BinaryMask(1280, 720, new byte[720 * 1280]);
        byte[] ones = new byte[6];
        java.util.Arrays.fill(ones, (byte) 1);

        // When / Then
        assertThat(CocoRle.encode(zeros)).isEqualTo("PPTl0");
        assertThat(CocoRle.counts(new BinaryMask(3, 2, ones))).containsExactly(0, 6);
        assertThat(CocoRle.bbox(zeros)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void shouldRoundTripRandomMasks() {
        // Given seeded random masks of odd sizes
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            byte[] data = new byte[w * h];
            double density = random.nextDouble();
            for (int p = 0; p < data.length; p++) {
                data[p] = random.nextDouble() < density ? (byte) 1 : (byte) 0;
            }
            BinaryMask mask = new BinaryMask(w, h, data);

            // When
            BinaryMask back = CocoRle.decode(CocoRle.encode(mask), h, w);

            // Then
            assertThat(back.data()).as("mask %d (%dx%d)", i, w, h).containsExactly(data);
        }
    }

    @Test
    void shouldRejectCountsThatDoNotCoverTheMask() {
        assertThatThrownBy(() -> CocoRle.decode("321O30", 3, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covers 12 pixels");
    }
}
