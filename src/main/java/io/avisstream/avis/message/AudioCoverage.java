package io.avisstream.avis.message;

/** How much of a frame's audio window arrived before the join had to emit. */
public enum AudioCoverage {
    /** Every sample of the window arrived. */
    COMPLETE,
    /** Some samples arrived; the gaps are zero-filled. */
    PARTIAL,
    /** No sample arrived; the window is all zeros. */
    MISSING
}
