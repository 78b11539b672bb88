package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.avisstream.avis.media.BinaryMask;

/** Spec §5 post-processing against the torch reference of {@code engines/tools/make_parity_vectors.py}. */
class MaskDecoderTest {

    @ParameterizedTest
    @CsvSource({"down, 100", "up, 5"})
    void shouldKeepTheSameCandidatesScoresAndMasksAsTorch(String name, int topK) {
        // Given
        String base = "parity/post/" + name + ".";
        Npy classLogits = Npy.resource(base + "class_logits.npy");
        Npy maskLogits = Npy.resource(base + "mask_logits.npy");
        long[] g = Npy.resource(base + "geometry.npy").longs();
        FrameGeometry geometry = new FrameGeometry((int) g[0], (int) g[1], (int) g[2], (int) g[3], (int) g[4], (int) g[5]);
        long[] expectedQueries = Npy.resource(base + "queries.npy").longs();
        long[] expectedClasses = Npy.resource(base + "classes.npy").longs();
        float[] expectedScores = Npy.resource(base + "scores.npy").floats();
        byte[] expectedMasks = Npy.resource(base + "masks.npy").bytes();
        int queries = (int) classLogits.shape()[0];
        float[] logits = maskLogits.floats();
        int plane = geometry.paddedHeight() * geometry.paddedWidth();
        MaskDecoder decoder = new MaskDecoder(topK, 0.3f);

        // When
        record Kept(int query, int classId, float score, BinaryMask mask) {
        }
        List<Kept> kept = new ArrayList<>();
        for (MaskDecoder.Candidate c : decoder.candidates(classLogits.floats(), queries)) {
            float score = c.probability() * decoder.maskScore(logits, c.query() * plane, geometry);
            if (score > 0.3f) {
                kept.add(new Kept(c.query(), c.classId(), score, decoder.binaryMask(logits, c.query() * plane, geometry)));
            }
        }
        kept.sort((a, b) -> Float.compare(b.score(), a.score()));

        // Then
        assertThat(kept.stream().map(Kept::query).toList()).containsExactlyElementsOf(
                java.util.Arrays.stream(expectedQueries).mapToObj(q -> (int) q).toList());
        assertThat(kept.stream().map(Kept::classId).toList()).containsExactlyElementsOf(
                java.util.Arrays.stream(expectedClasses).mapToObj(c -> (int) c).toList());
        float[] scores = new float[kept.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = kept.get(i).score();
        }
        Parity.of("post/" + name + "/scores", expectedScores, scores).assertWithin(1e-5);
        int pixels = geometry.originalWidth() * geometry.originalHeight();
        for (int i = 0; i < kept.size(); i++) {
            byte[] expected = java.util.Arrays.copyOfRange(expectedMasks, i * pixels, (i + 1) * pixels);
            assertThat(kept.get(i).mask().data()).as("mask %d of %s", i, name).isEqualTo(expected);
        }
    }

    @Test
    void shouldDropPairsWhoseClassProbabilityCannotReachTheThreshold() {
        // Given: two queries, uniform logits (every probability 1/27) and one confident query
        float[] logits = new float[2 * 27];
        logits[27 + 4] = 10f;
        MaskDecoder decoder = new MaskDecoder(100, 0.3f);

        // When
        List<MaskDecoder.Candidate> candidates = decoder.candidates(logits, 2);

        // Then
        assertThat(candidates).extracting(MaskDecoder.Candidate::query, MaskDecoder.Candidate::classId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 4));
    }

    @Test
    void shouldNeverKeepTheNoObjectClass() {
        // Given: the no-object class dominates
        float[] logits = new float[27];
        logits[26] = 20f;

        // When / Then
        assertThat(new MaskDecoder(100, 0.0f).candidates(logits, 1)).allMatch(c -> c.classId() < 26);
    }
}
