package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end against the exporter's offline-exact reference ({@code reference/offline}: one clip of
 * T=7 frames resized to 72x128 from 144x256): audio + frame graphs, video graph over the clip, every top-k
 * candidate's class probability, mask score (summed over frames) and final score, and the binary masks.
 */
class OfflineParityTest {

    private static Path dir;
    private static int frames;
    private static FrameGeometry geometry;

    @BeforeAll
    static void readReference() {
        dir = TinyModel.dir().resolve("reference/offline");
        long[] outputSize = Npy.read(dir.resolve("inputs/output_size.npy")).longs();
        Npy images = Npy.read(dir.resolve("inputs/images.npy"));
        frames = (int) images.shape()[0];
        int h = (int) images.shape()[2];
        int w = (int) images.shape()[3];
        geometry = new FrameGeometry((int) outputSize[1], (int) outputSize[0], w, h, (w + 31) / 32 * 32,
                (h + 31) / 32 * 32);
    }

    private static float[] out(String name) {
        return Npy.read(dir.resolve("outputs/" + name + ".npy")).floats();
    }

    private static List<FrameFeatures> encode(AcvisEngine engine) {
        float[] images = Npy.read(dir.resolve("inputs/images.npy")).floats();
        float[] mel = Npy.read(dir.resolve("inputs/mel.npy")).floats();
        int plane = 3 * geometry.resizedWidth() * geometry.resizedHeight();
        int patch = 96 * 64;
        List<PreparedFrame> prepared = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            prepared.add(new PreparedFrame("clip", t, geometry,
                    Arrays.copyOfRange(images, t * plane, (t + 1) * plane), Arrays.copyOfRange(mel, t * patch, (t + 1) * patch)));
        }
        return engine.encodePrepared(prepared);
    }

    private static float[] concat(List<FrameFeatures> features, java.util.function.Function<FrameFeatures, float[]> part) {
        int n = part.apply(features.get(0)).length;
        float[] all = new float[features.size() * n];
        for (int t = 0; t < features.size(); t++) {
            System.arraycopy(part.apply(features.get(t)), 0, all, t * n, n);
        }
        return all;
    }

    @Test
    void shouldReproduceEveryTopKCandidateAndItsMasksOfTheOfflineReference() {
        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings(), new ResourceLedger(), GpuProbe.none())) {
            // When: per-frame stage
            List<FrameFeatures> clip = encode(engine);

            // Then
            assertThat(concat(clip, FrameFeatures::audioFeatures)).containsExactly(out("audio_features"));
            Parity.of("offline/frame_queries", out("frame_queries"), concat(clip, FrameFeatures::frameQueries))
                    .assertWithin(1e-4);
            Parity.of("offline/mask_features", out("mask_features"), concat(clip, f -> f.maskFeatures().data()))
                    .assertWithin(1e-4);

            // When: video stage over the clip, every top-k candidate scored over all frames
            Map<String, HostTensor> video = engine.runVideo(clip.stream().map(FrameFeatures::frameQueries).toList(),
                    clip.stream().map(FrameFeatures::audioFeatures).toList());
            float[] classLogits = video.get(GraphContract.CLASS_LOGITS).data();
            Parity.of("offline/class_logits", out("class_logits"), classLogits).assertWithin(1e-4);
            Parity.of("offline/mask_embed", out("mask_embed"), video.get(GraphContract.MASK_EMBED).data()).assertWithin(1e-4);
            Parity.of("offline/sim_embed", out("sim_embed"), video.get(GraphContract.SIM_EMBED).data()).assertWithin(1e-4);
            List<MaskDecoder.Candidate> topK = engine.postprocessor().maskDecoder().topK(classLogits, classLogits.length / 27);
            DetectionPostprocessor.MaskLogits logits = engine.postprocessor().maskLogits(topK, video.get(GraphContract.MASK_EMBED).data(), clip);
            List<DetectionPostprocessor.ScoredCandidate> scored = engine.postprocessor().score(topK, logits, clip);

            // Then
            long[] queries = Npy.read(dir.resolve("outputs/cand_query_index.npy")).longs();
            long[] labels = Npy.read(dir.resolve("outputs/cand_labels.npy")).longs();
            assertThat(scored.stream().mapToLong(DetectionPostprocessor.ScoredCandidate::query).toArray()).containsExactly(queries);
            assertThat(scored.stream().mapToLong(DetectionPostprocessor.ScoredCandidate::classId).toArray()).containsExactly(labels);
            Parity.of("offline/cand_class_prob", out("cand_class_prob"), floats(scored, DetectionPostprocessor.ScoredCandidate::probability))
                    .assertWithin(1e-4);
            Parity.of("offline/cand_mask_score", out("cand_mask_score"), floats(scored, DetectionPostprocessor.ScoredCandidate::maskScore))
                    .assertWithin(1e-4);
            Parity.of("offline/cand_score", out("cand_score"), floats(scored, DetectionPostprocessor.ScoredCandidate::score))
                    .assertWithin(1e-4);
            byte[] kept = Npy.read(dir.resolve("outputs/cand_kept.npy")).bytes();
            for (int i = 0; i < kept.length; i++) {
                assertThat(scored.get(i).score() > 0.3f).as("kept %d", i).isEqualTo(kept[i] == 1);
            }
            byte[] expectedMasks = Npy.read(dir.resolve("outputs/cand_masks_top.npy")).bytes();
            int pixels = geometry.originalWidth() * geometry.originalHeight();
            int mismatches = 0;
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < frames; t++) {
                    byte[] mask = engine.postprocessor().maskDecoder().binaryMask(logits.perFrame().get(t),
                            scored.get(i).maskRow() * logits.planes().get(t), geometry).data();
                    int offset = (i * frames + t) * pixels;
                    for (int p = 0; p < pixels; p++) {
                        if (mask[p] != expectedMasks[offset + p]) {
                            mismatches++;
                        }
                    }
                }
            }
            assertThat(mismatches).as("mask pixels differing from the reference (of %d)", 3 * frames * pixels).isZero();

            // Then: the frame decoder's hearing of every candidate on every frame (the sounding rule "heard")
            float[] maskEmbed = video.get(GraphContract.MASK_EMBED).data();
            int channels = clip.get(0).maskFeatures().channels();
            float[] heard = new float[scored.size() * frames];
            for (int i = 0; i < scored.size(); i++) {
                int q = scored.get(i).query();
                float[] e = Arrays.copyOfRange(maskEmbed, q * channels, (q + 1) * channels);
                for (int t = 0; t < frames; t++) {
                    heard[i * frames + t] = clip.get(t).hearing().heard(scored.get(i).classId(), e,
                            clip.get(t).maskFeatures());
                }
            }
            float[] expectedHeard = out("cand_heard");
            int heardInReference = 0;
            for (float h : expectedHeard) {
                heardInReference += h >= 0.5f ? 1 : 0;
            }
            assertThat(heardInReference).as("reference (candidate, frame) pairs heard at >= 0.5").isPositive();
            Parity.of("offline/cand_heard", expectedHeard, heard).assertWithin(1e-4);
        }
    }

    @Test
    void shouldKeepExactlyTheReferenceCandidatesAboveAThresholdInDecodeClip() {
        // Given: a threshold halfway between two reference scores near the median, so the kept set is neither empty
        // nor everything whatever the weights (random weights keep nothing above the official 0.3)
        float[] scores = out("cand_score");
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        while (mid < sorted.length - 1 && sorted[mid] == sorted[mid - 1]) {
            mid++;
        }
        float threshold = (sorted[mid - 1] + sorted[mid]) / 2f;
        long[] queries = Npy.read(dir.resolve("outputs/cand_query_index.npy")).longs();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > threshold) {
                expected.add(queries[i]);
            }
        }
        assertThat(expected).isNotEmpty().hasSizeLessThan(scores.length);

        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings().withScoring(100, threshold),
                new ResourceLedger(), GpuProbe.none())) {
            // When
            List<AcvisEngine.ClipDetection> kept = engine.decodeClip(encode(engine));

            // Then
            assertThat(kept.stream().map(d -> (long) d.queryIndex()).sorted().toList())
                    .containsExactlyElementsOf(expected.stream().sorted().toList());
            assertThat(kept).allSatisfy(d -> {
                assertThat(d.masks()).hasSize(frames);
                assertThat(d.masks().get(0).width()).isEqualTo(geometry.originalWidth());
                assertThat(d.score()).isGreaterThan(threshold);
            });
        }
    }

    private static float[] floats(List<DetectionPostprocessor.ScoredCandidate> list,
            java.util.function.ToDoubleFunction<DetectionPostprocessor.ScoredCandidate> f) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) f.applyAsDouble(list.get(i));
        }
        return out;
    }
}
