package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoundingCountTest {

    @Test
    void shouldDecodeCumulativeProductsIntoCountProbabilities() {
        // Given: P(N>0) = sigmoid(0) = 0.5, P(N>1 | N>0) = sigmoid(ln 3) = 0.75
        float[] logits = {0f, (float) Math.log(3.0)};

        // When
        float[] p = SoundingCount.probabilities(logits);

        // Then: P(0) = 0.5, P(1) = 0.5 - 0.375 = 0.125, P(2) = 0.375
        assertThat(p).containsExactly(new float[] {0.5f, 0.125f, 0.375f}, within(1e-6f));
        assertThat(SoundingCount.mostLikely(logits)).isZero();
    }

    @Test
    void shouldSumToOneAndStayNonNegativeForAnyLogits() {
        // Given
        float[][] cases = {{-30f, 30f}, {30f, -30f}, {5f, 5f, 5f}, {-2f}};

        for (float[] logits : cases) {
            // When
            float[] p = SoundingCount.probabilities(logits);

            // Then
            double sum = 0;
            for (float v : p) {
                assertThat(v).isGreaterThanOrEqualTo(0f);
                sum += v;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
            assertThat(p).hasSize(logits.length + 1);
        }
    }
}
