package io.avisstream.avis.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * numpy's summation and scipy's assignment, against vectors that numpy and scipy produced
 * ({@code src/test/resources/eval/numerics-reference.py}; tie-heavy matrices, sums across the pairwise block
 * boundaries). Bit equality, because the last printed digit depends on it (spec §4).
 */
class NumericsTest {
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = NumericsTest.class.getResourceAsStream("/eval/numerics-reference.json")) {
            reference = AvisCase.JSON.readTree(in);
        }
    }

    @Test
    void shouldSumAndAverageBitForBitLikeNumpy() {
        int checked = 0;
        for (JsonNode c : reference.get("sums")) {
            // Given
            double[] values = new double[c.get("values").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.parseDouble(c.get("values").get(i).asText());
            }

            // When / Then
            assertThat(NumpySum.pairwise(values)).as("sum of %d", values.length)
                    .isEqualTo(Double.parseDouble(c.get("sum").asText()));
            if (values.length > 0) {
                assertThat(NumpySum.mean(values)).as("mean of %d", values.length)
                        .isEqualTo(Double.parseDouble(c.get("mean").asText()));
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void shouldReturnTheSameOptimumAsScipyAmongTies() {
        int checked = 0;
        for (JsonNode c : reference.get("lsa")) {
            // Given
            JsonNode rows = c.get("cost");
            double[][] cost = new double[rows.size()][];
            for (int i = 0; i < cost.length; i++) {
                cost[i] = new double[rows.get(i).size()];
                for (int j = 0; j < cost[i].length; j++) {
                    cost[i][j] = rows.get(i).get(j).asDouble();
                }
            }

            // When
            LinearSumAssignment.Pairs pairs = LinearSumAssignment.minimize(cost);

            // Then
            assertThat(pairs.rows()).as("rows of case %d", checked).containsExactly(ints(c.get("rows")));
            assertThat(pairs.cols()).as("cols of case %d", checked).containsExactly(ints(c.get("cols")));
            checked++;
        }
        assertThat(checked).isEqualTo(600);
    }

    @Test
    void shouldAssignAConstantMatrixToTheIdentity() {
        // Given a 3x3 tie everywhere (spec §4.2)
        double[][] cost = { { -1, -1, -1 }, { -1, -1, -1 }, { -1, -1, -1 } };

        // When
        LinearSumAssignment.Pairs pairs = LinearSumAssignment.minimize(cost);

        // Then
        assertThat(pairs.rows()).containsExactly(0, 1, 2);
        assertThat(pairs.cols()).containsExactly(0, 1, 2);
    }

    @Test
    void shouldRoundLikeNumpyHalfToEvenOnTheScaledDouble() {
        // 12.345 * 100 = 1234.4999999999998 -> 12.34 (BigDecimal HALF_UP would give 12.35); NaN passes through
        assertThat(Metrics.pct(0.12345)).isEqualTo(12.34);
        assertThat(Metrics.pct(0.00125)).isEqualTo(0.12);
        assertThat(Metrics.pct(1.0 / 3)).isEqualTo(33.33);
        assertThat(Metrics.pct(Double.NaN)).isNaN();
        assertThat(Metrics.pct(-1)).isEqualTo(-100.0);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
