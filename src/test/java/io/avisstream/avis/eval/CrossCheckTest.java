package io.avisstream.avis.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Random inputs (several videos, crowd GT, intermittent tracks, nulls and empty masks, tied scores, up to ten dets per
 * frame, unlisted classes, 720p and tiny frames) scored by a second implementation of the spec in numpy/scipy
 * ({@code src/test/resources/eval/crosscheck/reference.py}, which uses numpy's own reductions and scipy's solver).
 * Every official key must agree exactly.
 */
class CrossCheckTest {

    @Test
    void shouldAgreeWithTheNumpyReferenceOnEveryKeyOfEveryRandomCase() throws IOException {
        // Given
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/eval/crosscheck/cases.json")) {
            cases = AvisCase.JSON.readTree(in);
        }
        SoftAssertions soft = new SoftAssertions();
        List<String> keys = new ArrayList<>();
        for (int n = 0; n < cases.size(); n++) {
            JsonNode c = cases.get(n);

            // When
            GroundTruth gt = GroundTruthReader.read("gt", c.get("gt"));
            List<Prediction> predictions = ResultsReader.read("results", c.get("results"), gt);
            JsonNode actual = AvisCase.JSON.readTree(MetricsReport.json(Evaluator.evaluate(gt, predictions, "results").metrics()));

            // Then
            JsonNode expected = c.get("expected");
            int index = n;
            expected.fieldNames().forEachRemaining(k -> {
                keys.add(k);
                soft.assertThat(actual.get(k).asText()).as("case %d %s", index, k).isEqualTo(expected.get(k).asText());
            });
        }
        soft.assertAll();
        assertThat(keys).hasSize(80 * 23);
    }
}
