package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrameHearingTest {
    // a 2 x 4 mask-feature grid (padded 8 x 16); the resized frame is 8 x 10, so only columns 0..2 are frame
    private static final FrameGeometry GEOMETRY = new FrameGeometry(10, 8, 10, 8, 16, 8);
    private static final int CLASSES = 3;

    @Test
    void shouldHearADetectionThroughTheFrameQueryThatOverlapsIt() {
        // Given query 0 covers cells {0, 1} and gives class 1 probability ~0.84; query 1 covers {4, 5, 6} with class 2
        FrameHearing hearing = hearing(new int[][] { { 0, 1 }, { 4, 5, 6 } },
                new float[][] { { 0, 3, 0, 1 }, { 0, 0, 4, 0 } });

        // When a class-1 detection covers exactly {0, 1}
        float heard = hearing.heard(1, new float[] { 1 }, detectionMask(0, 1));

        // Then its heard score is query 0's probability of class 1, and of another class what query 0 gives that
        double denominator = Math.exp(0) * 2 + Math.exp(3) + Math.exp(1);
        assertThat(heard).isCloseTo((float) (Math.exp(3) / denominator), within(1e-6f));
        assertThat(hearing.heard(0, new float[] { 1 }, detectionMask(0, 1)))
                .isCloseTo((float) (1 / denominator), within(1e-6f));
    }

    @Test
    void shouldNeedAnIouOfAtLeastHalfComparedExactly() {
        // Given query 0 covers {0, 1}
        FrameHearing hearing = hearing(new int[][] { { 0, 1 } }, new float[][] { { 5, 0, 0, 0 } });

        // Then {0} (IoU 1/2) is heard, {0, 2, 4} (IoU 1/4) is not, and an empty mask is not
        assertThat(hearing.heard(0, new float[] { 1 }, detectionMask(0))).isGreaterThan(0.9f);
        assertThat(hearing.heard(0, new float[] { 1 }, detectionMask(0, 2, 4))).isZero();
        assertThat(hearing.heard(0, new float[] { 1 }, detectionMask())).isZero();
    }

    @Test
    void shouldIgnoreThePaddingBeyondTheResizedFrame() {
        // Given query 0 covers {2, 3}: cell 3 (column 3) is padding, outside the 10-pixel-wide frame
        FrameHearing hearing = hearing(new int[][] { { 2, 3 } }, new float[][] { { 5, 0, 0, 0 } });

        // Then a detection covering cell 2 only matches it exactly (IoU 1 on the frame's 2 x 3 cells)
        assertThat(hearing.height()).isEqualTo(2);
        assertThat(hearing.width()).isEqualTo(3);
        assertThat(hearing.heard(0, new float[] { 1 }, detectionMask(2))).isGreaterThan(0.9f);
    }

    @Test
    void shouldSayNaNWithoutFrameLevelOutputs() {
        assertThat(FrameHearing.NONE.heard(0, new float[] { 1 }, detectionMask(0))).isNaN();
    }

    /** Frame-graph outputs: per query the set grid cells (row-major over 2 x 4) and 4 logits (3 classes + none). */
    private static FrameHearing hearing(int[][] cells, float[][] logits) {
        int queries = cells.length;
        float[] predLogits = new float[queries * (CLASSES + 1)];
        float[] predMasks = new float[queries * 8];
        java.util.Arrays.fill(predMasks, -1f);
        for (int q = 0; q < queries; q++) {
            System.arraycopy(logits[q], 0, predLogits, q * (CLASSES + 1), CLASSES + 1);
            for (int c : cells[q]) {
                predMasks[q * 8 + c] = 2f;
            }
        }
        return FrameHearing.of(predLogits, queries, predMasks, 2, 4, GEOMETRY);
    }

    /** One-channel mask features that are positive exactly on {@code cells}: with e = {1} the detection's mask. */
    private static MaskFeatures detectionMask(int... cells) {
        float[] data = new float[8];
        java.util.Arrays.fill(data, -0.5f);
        for (int c : cells) {
            data[c] = 0.5f;
        }
        return new MaskFeatures(1, 2, 4, data);
    }
}
