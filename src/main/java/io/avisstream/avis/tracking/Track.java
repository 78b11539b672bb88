package io.avisstream.avis.tracking;

import java.util.Arrays;

/**
 * One row of the track table.
 *
 * @param id stable id within the stream (monotonic, from 1)
 * @param classId class of the latest linked detection
 * @param embedding unit-length similarity embedding of the latest linked detection
 * @param firstSeen inferred-frame index at which the track opened
 * @param lastSeen inferred-frame index of the latest linked detection
 * @param hits number of inferred frames the track was linked in
 * @param sounding whether the latest linked detection was sounding
 */
public record Track(long id, int classId, float[] embedding, long firstSeen, long lastSeen, int hits, boolean sounding) {
    public Track {
        if (id < 1) {
            throw new IllegalArgumentException("track id must be >= 1");
        }
        if (embedding == null) {
            throw new IllegalArgumentException("embedding is required");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Track t && t.id == id && t.classId == classId && Arrays.equals(t.embedding, embedding)
                && t.firstSeen == firstSeen && t.lastSeen == lastSeen && t.hits == hits && t.sounding == sounding;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "Track[id=" + id + ", class=" + classId + ", seen=" + firstSeen + ".." + lastSeen + ", hits=" + hits
                + ", sounding=" + sounding + "]";
    }
}
