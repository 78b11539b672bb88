package io.avisstream.avis.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HungarianSolverTest {

    @Test
    void shouldPickTheCheapestAssignmentOverTheGreedyOne() {
        // Given: greedy takes (0,0)=1 and is then forced into (1,1)=100; optimum is 2 + 3
        double[][] cost = { { 1, 2 }, { 3, 100 } };

        // When
        int[] assignment = HungarianSolver.solve(cost);

        // Then
        assertThat(assignment).containsExactly(1, 0);
    }

    @Test
    void shouldMatchBruteForceOnRandomRectangularMatrices() {
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            // Given
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int c = 0; c < cols; c++) {
                    row[c] = random.nextInt(20) - 5 + random.nextDouble();
                }
            }

            // When
            int[] assignment = HungarianSolver.solve(cost);

            // Then: a valid matching of size min(rows, cols) with the brute-force minimum cost
            boolean[] usedCols = new boolean[cols];
            double total = 0;
            int matched = 0;
            for (int r = 0; r < rows; r++) {
                if (assignment[r] >= 0) {
                    assertThat(usedCols[assignment[r]]).isFalse();
                    usedCols[assignment[r]] = true;
                    total += cost[r][assignment[r]];
                    matched++;
                }
            }
            assertThat(matched).isEqualTo(Math.min(rows, cols));
            assertThat(total).as("trial %d", trial).isCloseTo(bruteForce(cost, 0, new boolean[cols], Math.min(rows, cols)),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void shouldLeaveEveryRowUnassignedWhenThereAreNoColumns() {
        assertThat(HungarianSolver.solve(new double[][] { {}, {} })).containsExactly(-1, -1);
        assertThat(HungarianSolver.solve(new double[0][0])).isEmpty();
    }

    /** Minimum over all matchings that assign exactly {@code need} rows (rows may be skipped when rows > cols). */
    private static double bruteForce(double[][] cost, int row, boolean[] used, int need) {
        if (need == 0) {
            return 0;
        }
        if (row == cost.length) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.POSITIVE_INFINITY;
        if (cost.length - row > need) {
            best = bruteForce(cost, row + 1, used, need);
        }
        for (int c = 0; c < used.length; c++) {
            if (!used[c]) {
                used[c] = true;
                best = Math.min(best, cost[row][c] + bruteForce(cost, row + 1, used, need - 1));
                used[c] = false;
            }
        }
        return best;
    }
}
