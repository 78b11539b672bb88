package io.avisstream.avis.engine;

import java.util.Arrays;

/**
 * What a {@link StreamWindow} keeps of an earlier inferred frame for the next windows: its frame queries in half
 * precision and its audio features. Mask features are never kept.
 */
public record PastFrame(long seq, short[] frameQueriesHalf, float[] audioFeatures) {
    public PastFrame {
        if (frameQueriesHalf == null || audioFeatures == null) {
            throw new IllegalArgumentException("frame queries and audio features are required");
        }
    }

    public static PastFrame of(long seq, float[] frameQueries, float[] audioFeatures) {
        return new PastFrame(seq, Half.fromFloats(frameQueries), audioFeatures.clone());
    }

    public float[] frameQueries() {
        return Half.toFloats(frameQueriesHalf);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PastFrame p && p.seq == seq && Arrays.equals(p.frameQueriesHalf, frameQueriesHalf)
                && Arrays.equals(p.audioFeatures, audioFeatures);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(frameQueriesHalf);
    }

    @Override
    public String toString() {
        return "PastFrame[seq=" + seq + ", queries=" + frameQueriesHalf.length + ", audio=" + audioFeatures.length + "]";
    }
}
