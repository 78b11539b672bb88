package io.avisstream.avis.engine;

import java.util.Map;

/** The TensorRT optimisation profile of each graph (empty for engines that take any shape). */
public record ShapeProfiles(Map<String, ShapeProfile> byGraph) {

    /** Smallest and largest resized side: the long side is clamped at 1333, the short side is 360 unless clamped. */
    static final long MIN_SIDE = 64;
    static final long MAX_SIDE = 1333;

    public static ShapeProfiles none() {
        return new ShapeProfiles(Map.of());
    }

    public ShapeProfile of(String graph) {
        return byGraph.getOrDefault(graph, ShapeProfile.none());
    }

    /**
     * Profiles for a model: batch 1..{@code batchMax} (opt = batchMax, where GPU throughput comes from), frames of
     * any resized size (opt 360x640), windows of 1..W frames (opt W) and 1..topK mask candidates.
     */
    public static ShapeProfiles forModel(EngineInfo dims, int batchMax, int topK) {
        long q = dims.numQueries();
        long c = dims.hiddenDim();
        long a = dims.audioDim();
        long w = dims.windowFrames();
        long b = batchMax;
        long maxPadded = (MAX_SIDE + 31) / 32 * 32 / 4;
        return new ShapeProfiles(Map.of(
                GraphContract.AUDIO, ShapeProfile.builder()
                        .input(GraphContract.MEL, new long[] {1, 1, 96, 64}, new long[] {b, 1, 96, 64}, new long[] {b, 1, 96, 64})
                        .build(),
                GraphContract.FRAME, ShapeProfile.builder()
                        .input(GraphContract.IMAGE, new long[] {1, 3, MIN_SIDE, MIN_SIDE}, new long[] {b, 3, 360, 640},
                                new long[] {b, 3, MAX_SIDE, MAX_SIDE})
                        .input(GraphContract.AUDIO_FEATURES, new long[] {1, a}, new long[] {b, a}, new long[] {b, a})
                        .build(),
                GraphContract.PIXEL, ShapeProfile.builder()
                        .input(GraphContract.IMAGE, new long[] {1, 3, MIN_SIDE, MIN_SIDE}, new long[] {1, 3, 360, 640},
                                new long[] {1, 3, MAX_SIDE, MAX_SIDE})
                        .build(),
                GraphContract.VIDEO, ShapeProfile.builder()
                        .input(GraphContract.FRAME_QUERIES, new long[] {1, q, c}, new long[] {w, q, c}, new long[] {w, q, c})
                        .input(GraphContract.AUDIO_FEATURES, new long[] {1, a}, new long[] {w, a}, new long[] {w, a})
                        .build(),
                GraphContract.MASKS, ShapeProfile.builder()
                        .input(GraphContract.MASK_EMBED, new long[] {1, c}, new long[] {Math.min(10, topK), c},
                                new long[] {topK, c})
                        .input(GraphContract.MASK_FEATURES, new long[] {1, c, MIN_SIDE / 4, MIN_SIDE / 4},
                                new long[] {1, c, 96, 160}, new long[] {1, c, maxPadded, maxPadded})
                        .build()));
    }
}
