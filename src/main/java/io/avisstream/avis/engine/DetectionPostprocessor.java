package io.avisstream.avis.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;

/**
 * The translator's output side (spec §5 steps 6-9): the video graph's class logits and embeddings become scored
 * candidates, mask logits (through the masks graph), mask scores and binary masks at the original size, for the
 * newest frame of a window (live mode) or for every frame of a clip (offline-exact mode). Thread-safe.
 */
final class DetectionPostprocessor {

    /** A top-k (query, class) pair with its scores; {@code maskRow} indexes the logits computed for its query. */
    record ScoredCandidate(int query, int classId, float probability, float maskScore, float score, int maskRow) {
    }

    /** Mask logits (K rows, one per distinct candidate query) for each frame, at the padded size. */
    record MaskLogits(Map<Integer, Integer> rowOfQuery, List<float[]> perFrame, List<Integer> planes) {
    }

    private final AcvisGraphs graphs;
    private final MaskDecoder maskDecoder;
    private final int numClasses;
    private final int similarityDim;
    private final StageTimings timings;

    DetectionPostprocessor(AcvisGraphs graphs, MaskDecoder maskDecoder, int numClasses, int similarityDim,
            StageTimings timings) {
        this.graphs = graphs;
        this.maskDecoder = maskDecoder;
        this.numClasses = numClasses;
        this.similarityDim = similarityDim;
        this.timings = timings;
    }

    MaskDecoder maskDecoder() {
        return maskDecoder;
    }

    /** Live mode: the detections of {@code current}, the newest frame of the window the outputs came from. */
    List<Detection> detections(float[] classLogits, float[] maskEmbed, float[] simEmbed, FrameFeatures current) {
        List<MaskDecoder.Candidate> candidates = maskDecoder.candidates(classLogits, videoQueries(classLogits));
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<FrameFeatures> frames = List.of(current);
        MaskLogits logits = maskLogits(candidates, maskEmbed, frames);
        long p0 = System.nanoTime();
        FrameGeometry g = current.geometry();
        Map<Integer, BinaryMask> masks = new HashMap<>();
        List<Detection> kept = new ArrayList<>();
        for (ScoredCandidate c : score(candidates, logits, frames)) {
            if (c.score() > maskDecoder.threshold()) {
                BinaryMask mask = masks.computeIfAbsent(c.maskRow(),
                        r -> maskDecoder.binaryMask(logits.perFrame().get(0), r * logits.planes().get(0), g));
                float[] e = maskEmbedding(maskEmbed, c.query(), current.maskFeatures().channels());
                kept.add(new Detection(c.query(), c.classId(), c.score(), similarity(simEmbed, c.query()), mask, e,
                        current.hearing().heard(c.classId(), e, current.maskFeatures())));
            }
        }
        kept.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
        timings.add(StageTimings.Stage.POSTPROCESS, System.nanoTime() - p0);
        return kept;
    }

    /** Offline-exact mode: candidates scored over every frame of {@code clip}, one mask per frame, best first. */
    List<AcvisEngine.ClipDetection> clipDetections(float[] classLogits, float[] maskEmbed, float[] simEmbed,
            List<FrameFeatures> clip) {
        List<MaskDecoder.Candidate> candidates = maskDecoder.candidates(classLogits, videoQueries(classLogits));
        MaskLogits logits = maskLogits(candidates, maskEmbed, clip);
        List<AcvisEngine.ClipDetection> kept = new ArrayList<>();
        for (ScoredCandidate c : score(candidates, logits, clip)) {
            if (c.score() > maskDecoder.threshold()) {
                List<BinaryMask> masks = new ArrayList<>(clip.size());
                float[] heard = new float[clip.size()];
                float[] e = maskEmbedding(maskEmbed, c.query(), clip.get(0).maskFeatures().channels());
                for (int t = 0; t < clip.size(); t++) {
                    FrameFeatures frame = clip.get(t);
                    masks.add(maskDecoder.binaryMask(logits.perFrame().get(t), c.maskRow() * logits.planes().get(t),
                            frame.geometry()));
                    heard[t] = frame.hearing().heard(c.classId(), e, frame.maskFeatures());
                }
                kept.add(new AcvisEngine.ClipDetection(c.query(), c.classId(), c.score(), similarity(simEmbed, c.query()),
                        masks, heard));
            }
        }
        kept.sort(Comparator.comparingDouble((AcvisEngine.ClipDetection d) -> d.score()).reversed());
        return kept;
    }

    MaskLogits maskLogits(List<MaskDecoder.Candidate> candidates, float[] maskEmbed, List<FrameFeatures> frames) {
        Map<Integer, Integer> row = new LinkedHashMap<>();
        for (MaskDecoder.Candidate candidate : candidates) {
            row.putIfAbsent(candidate.query(), row.size());
        }
        List<float[]> perFrame = new ArrayList<>();
        List<Integer> planes = new ArrayList<>();
        if (row.isEmpty()) {
            return new MaskLogits(row, perFrame, planes);
        }
        int c = frames.get(0).maskFeatures().channels(); // mask_dim, which may differ from the query width
        float[] embeds = new float[row.size() * c];
        row.forEach((query, r) -> System.arraycopy(maskEmbed, query * c, embeds, r * c, c));
        long m0 = System.nanoTime();
        for (FrameFeatures frame : frames) {
            HostTensor logits = graphs.masks(embeds, row.size(), frame.maskFeatures());
            FrameGeometry g = frame.geometry();
            if (logits.dim(1) != g.paddedHeight() || logits.dim(2) != g.paddedWidth()) {
                throw new EngineException("masks graph returned " + logits.dim(1) + "x" + logits.dim(2)
                        + " logits for a frame padded to " + g.paddedHeight() + "x" + g.paddedWidth());
            }
            perFrame.add(logits.data());
            planes.add(g.paddedHeight() * g.paddedWidth());
        }
        timings.add(StageTimings.Stage.INFERENCE, System.nanoTime() - m0);
        return new MaskLogits(row, perFrame, planes);
    }

    /** Mask score of every candidate, accumulated over pixels and frames as spec §5 step 7 does. */
    List<ScoredCandidate> score(List<MaskDecoder.Candidate> candidates, MaskLogits logits, List<FrameFeatures> frames) {
        Map<Integer, Float> maskScores = new HashMap<>();
        List<ScoredCandidate> out = new ArrayList<>(candidates.size());
        for (MaskDecoder.Candidate c : candidates) {
            int r = logits.rowOfQuery().get(c.query());
            float maskScore = maskScores.computeIfAbsent(r, row -> {
                double[] numDen = new double[2];
                for (int t = 0; t < frames.size(); t++) {
                    maskDecoder.accumulate(logits.perFrame().get(t), row * logits.planes().get(t), frames.get(t).geometry(),
                            numDen);
                }
                return MaskDecoder.maskScore(numDen);
            });
            out.add(new ScoredCandidate(c.query(), c.classId(), c.probability(), maskScore, c.probability() * maskScore,
                    r));
        }
        return out;
    }

    private int videoQueries(float[] classLogits) {
        return classLogits.length / (numClasses + 1);
    }

    /** e_k of one query: what fresh masks of later frames are computed from ({@link AcvisEngine#masksFor}). */
    private static float[] maskEmbedding(float[] maskEmbed, int query, int channels) {
        return Arrays.copyOfRange(maskEmbed, query * channels, (query + 1) * channels);
    }

    private float[] similarity(float[] simEmbed, int query) {
        return Arrays.copyOfRange(simEmbed, query * similarityDim, (query + 1) * similarityDim);
    }
}
